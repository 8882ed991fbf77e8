"""Command-line interface: :func:`main` and the subcommands, one module per pipeline stage.

``app`` builds the parser and runs a command; ``_shared`` holds the registry
(:func:`~._shared.command`) and the helpers every command module uses;
``sources``, ``extract``, ``ledger``, ``report``, ``export``, ``evaluate`` and ``learn`` (review, train) register
``(name, help, configure, handler)`` when imported; ``options`` defines the
options they share (``--ledger``, ``--format``, ``-o``) once.  Handlers stay thin:
parse, call one library function, print.
"""

from __future__ import annotations

from ._shared import COMMANDS
from .app import build_parser, main

__all__ = ["COMMANDS", "build_parser", "main"]

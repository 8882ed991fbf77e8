"""Command-line interface: ``main`` (in :mod:`.app`) and the subcommands, one module per pipeline stage.

Importing a command module registers its commands: each uses
:func:`policy_tracker.cli.app.command` to register
``(name, help, configure, handler)``.  Handlers stay thin: parse, call one
library function, print.
"""

from __future__ import annotations

import importlib
import pkgutil


def load_all() -> None:
    """Import every command module in this package (registration happens on import)."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name != "app":
            importlib.import_module(f"{__name__}.{info.name}")


from .app import COMMANDS, build_parser, main  # noqa: E402 - after load_all, which main calls

__all__ = ["COMMANDS", "build_parser", "load_all", "main"]

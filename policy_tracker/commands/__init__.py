"""Subcommands, one module per pipeline stage; importing a module registers its commands.

Each module uses :func:`policy_tracker.cli.command` to register
``(name, help, configure, handler)``.  Handlers stay thin: parse, call one
library function, print.
"""

from __future__ import annotations

import importlib
import pkgutil


def load_all() -> None:
    """Import every command module in this package (registration happens on import)."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        importlib.import_module(f"{__name__}.{info.name}")

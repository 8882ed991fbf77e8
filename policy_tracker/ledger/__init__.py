"""The ledger: clusters + analyst decisions → a curated YAML file with stable ids.

``ledger.Ledger`` is the facade; ``ingest`` chains load → extract → match into
it; ``curation``, ``ids``, ``status`` and ``evolution`` hold the rules;
``records`` the stored types; ``yaml_io``, ``files`` and ``cache`` the file
format; ``validate`` and ``export`` read a ledger back out.
"""

from .ledger import Ledger

__all__ = ["Ledger"]

"""The ledger: clusters + analyst decisions → a curated YAML file with stable ids.

``ledger.Ledger`` is the facade (load, save, look-ups); its ingest steps live
in ``_ingesting`` and its decision steps in ``_deciding`` (private mixins).
``ingest.ingest_paths`` chains load → extract → match → save; ``curation``,
``ids``, ``status`` and ``evolution`` hold the rules; ``records`` the stored
types; ``yaml_io`` (with the value readers of ``_fields``), ``files`` and
``cache`` the file format; ``validate``, ``export`` and ``dataframe`` read a
ledger back out.
"""

from .ledger import Ledger

__all__ = ["Ledger"]

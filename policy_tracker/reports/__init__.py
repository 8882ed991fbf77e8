"""Reports: a ledger → diff, timeline and overview, rendered as Markdown, HTML or data.

``report`` computes the views (``fulfilment`` the time-to-fulfilment section);
``markdown``, ``html`` (+ ``html_fulfilment``) and ``data`` render them;
``notebook`` gives the values and the ledger their ``_repr_html_``.
"""

from . import notebook as _notebook  # noqa: E402,F401 - sets _repr_html_ on the report values, Ledger and Commitment

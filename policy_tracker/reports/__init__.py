"""Reports: a ledger → diff, timeline and overview, rendered as Markdown, HTML or data.

``report`` computes the views; ``markdown``, ``html`` and ``data`` render them.
"""

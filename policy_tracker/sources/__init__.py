"""Sources: files → :class:`~policy_tracker.models.Document` (text, dates, kind, outlet).

``load`` reads .txt/.md files and manifests (``text`` turns their bytes into
text: encodings, size limit, damaged files); ``metadata`` detects the briefing
date, period, kind and outlet from the text.
"""

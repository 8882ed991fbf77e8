"""Extraction: :class:`~policy_tracker.models.Document` → :class:`~policy_tracker.models.Mention`, :class:`~policy_tracker.models.Evidence`.

``normalize`` builds the normalised view and its offset map (Simplified
characters through ``characters``, mainland terms and artefacts through
``rewrites``); ``segment`` cuts sentences and finds cues; ``clauses`` cuts a
sentence into pledge clauses; ``facets`` reads stage, strength, targets,
deadlines, instruments and topics, with numbers read by ``numerals`` (the one
numeral parser); ``speakers`` attributes quotes; ``extract`` chains them.
"""

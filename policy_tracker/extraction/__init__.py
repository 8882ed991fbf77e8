"""Extraction: :class:`~policy_tracker.models.Document` → :class:`~policy_tracker.models.Mention`.

``normalize`` builds the normalised view and its offset map; ``segment`` cuts
sentences and finds cues; ``clauses`` cuts a sentence into pledge clauses;
``facets`` reads stage, strength, targets, deadlines, instruments and topics;
``speakers`` attributes quotes; ``extract`` chains them.
"""

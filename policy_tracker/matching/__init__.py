"""Matching: mentions → clusters (one per commitment).

``keys`` fingerprints a mention; ``candidates`` (pure Python) and
``candidates_numpy`` find the pairs worth scoring; ``match`` scores and
clusters them; ``incremental`` reuses a previous ingest's work; ``suggest``
proposes commitments for evidence.
"""

"""Matching: mentions → clusters (one per commitment), in three public steps.

``keys`` fingerprints a mention (:class:`~.keys.MatchKey`);
:func:`.candidates.candidate_pairs` proposes the pairs worth scoring (the one
candidate rule is :func:`.rule.is_candidate`; ``candidates_numpy`` is its
numpy backend); :func:`.score.score_pairs` scores them;
:func:`.cluster.cluster` groups the mentions.  ``config`` holds the
thresholds (from data/matching.yaml only); ``incremental`` reuses a previous
ingest's work; ``suggest`` proposes evidence for a commitment.
"""

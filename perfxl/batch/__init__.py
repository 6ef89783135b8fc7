"""Batch: run read → score → check over many files.

``worker`` is the per-file work, a pure function of the path, run by a process
pool; ``records`` turns one review into plain rows; ``frames`` builds the batch
tables; ``run`` drives the pool and the checks; ``pool`` starts the workers
(fork where the platform has it, before pandas is imported; else spawn) and
``gc_pause`` holds the allocation trick every heavy step uses.
"""

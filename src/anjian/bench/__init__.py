"""``anjian bench``: the latency rows of QUALITY.md measured server-side next to their raw-SQL floors, and the
mixed-load throughput test against a trivial Django view (docs/performance.md says what each row measures)."""

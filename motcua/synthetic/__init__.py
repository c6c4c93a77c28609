"""Synthetic history at provincial scale: millions of dossiers with realistic shapes
(volumes, channels, outcomes, delays) written in bulk, then the statistics rebuilt from
them. For load tests, report benchmarks and demos; never for a production database.

`generator.generate(options)` is the one entry point (the `generate_dossiers` command and
bench/bench_reports.py call it). Modules: volume (how many a day), world (agencies and
procedures), clock (working time), story (one dossier), steps, writer (bulk writes).
"""

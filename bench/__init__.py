"""Benchmarks: ``python -m bench [name ...]`` runs every module here that has a
``run(argv)`` function (or only the named ones); ``python -m bench.NAME`` runs one
with its own options. Shared helpers and RESULTS.md handling: bench/common.py."""

"""Benchmarks for intake, run with ``python -m bench`` (or ``make bench``).

For each database backend, ``server.serve`` migrates a fresh database and runs the app under
gunicorn on loopback; each section (see ``SECTIONS`` in ``__main__``) then measures something
against it and returns a result that adds columns to the final table and a block to the JSON
written to ``bench/output/``. ``load.run_load`` is the shared, time-bounded load loop.
"""

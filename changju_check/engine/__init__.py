"""The engine: runs the stages (packet → inspect → recognise → checks → scan → report).

- `run.py`   `check_packet(path, CheckOptions)` for one packet
- `batch.py` `check_many(paths, options, jobs)` for many, in worker processes
"""

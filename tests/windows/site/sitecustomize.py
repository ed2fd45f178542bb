"""Loaded by every Python process started with this folder on PYTHONPATH: with
CHANGJU_SIMULATE_WINDOWS=1 the process behaves as on Windows (tests/windows/simulate.py)."""

import os
import sys

if os.environ.get("CHANGJU_SIMULATE_WINDOWS", "") not in ("", "0"):
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, os.path.dirname(os.path.dirname(here)))  # tests/ for `windows.simulate`
    try:
        from windows import simulate  # noqa: E402
    finally:
        sys.path.pop(0)
    simulate.install()

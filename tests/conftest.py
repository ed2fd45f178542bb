"""The whole suite: with CHANGJU_SIMULATE_WINDOWS=1 every test runs in a Python made to behave as
on Windows, and so does every process it starts (tests/windows/simulate.py)."""

import os

if os.environ.get("CHANGJU_SIMULATE_WINDOWS", "") not in ("", "0"):
    from tests.windows import simulate

    simulate.enable_for_children()
    simulate.install()

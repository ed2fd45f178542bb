"""`changju rules new YEAR`: the newest year's rule files copied as the start of the next guide.

The copy is byte for byte (it validates as it is); what a person must look at is every line that
names a year (a reference period such as 2020、2021、2022 年度, a template's title), listed back."""

from __future__ import annotations

import re
from pathlib import Path

from changju_check.write import write_file

YEAR = re.compile(r"(?<!\d)20\d\d(?!\d)")


def copy_year(source: Path, dest: Path) -> list[tuple[str, int, str]]:
    """Copy the rule files (*.yaml) of `source` into the new folder `dest` (which must not exist).
    Returns (file name, line number, line) for every line that names a year."""
    files = sorted(p for p in Path(source).iterdir() if p.suffix == ".yaml" and p.is_file())
    if not files:
        raise FileNotFoundError(f"no rule files in {source}")
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=False)
    review: list[tuple[str, int, str]] = []
    for path in files:
        data = path.read_bytes()
        write_file(dest / path.name, data)
        for number, line in enumerate(data.decode("utf-8").splitlines(), 1):
            if YEAR.search(line):
                review.append((path.name, number, line.strip()))
    return review


__all__ = ["copy_year"]

"""Red seals (公章) on a page, with numpy and Pillow only.

A Chinese official seal is a red ring (round, or oval for some special-purpose seals), usually
with a star in the middle and the unit's name on an arc inside the ring. Red printed text, a red
heading, a red rule or a red logo must not count. The detector:

1. downsizes the page (long side `ANALYSIS_SIDE` pixels) and builds a red mask in HSV: hue near 0,
   enough saturation and brightness, and red clearly above green and blue (faint, pinkish seal
   ink still passes; dark red-brown text and grey-scale scans do not);
2. closes small gaps (a 3x3 max filter) so that a ring broken by black text over it, and the
   glyphs of a heading, each become one blob; labels 8-connected blobs (run-length union-find);
3. keeps blobs whose bounding box is 6-50 % of the page's short side (a 20-50 mm seal on A4 is
   about 10-24 %) with an aspect ratio of 0.6-1.6;
4. fits the ellipse of the bounding box and looks at the red pixels' normalised radius r:
   - rim coverage: the share of 48 angular sectors that have red on the rim (0.80 <= r <= 1.04);
     a ring is closed, so most sectors have it;
   - rim density vs interior density: a ring is hollow, its rim band is denser than the band
     0.30 <= r <= 0.75 (a blob of red text is not);
   - the inside is neither empty (a seal has a star, text on the arc) nor solid (a filled logo):
     1-50 % of the ellipse inside r < 0.8 is red.

Thresholds are tuned on tests/scans (stamped pages of several sizes, faint ink, oval seals, and
near misses: a red heading, a red logo, red rules, a blank page). `SEAL_ALGO_VERSION` is part of
the cache key: bump it when the detector changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["SEAL_ALGO_VERSION", "SealCandidate", "find_seals", "is_greyscale"]

SEAL_ALGO_VERSION = "seal-1"
ANALYSIS_SIDE = 1000

MIN_REL_SIZE = 0.06
MAX_REL_SIZE = 0.50
MIN_ASPECT = 0.6
MAX_ASPECT = 1.6
MIN_RIM_COVERAGE = 0.70
MIN_HOLLOWNESS = 1.2  # rim density / interior density
MIN_INNER_DENSITY = 0.01  # something inside the ring: star, text on the arc
MAX_INNER_DENSITY = 0.5  # but not a solid disc (a filled logo)
SECTORS = 48


@dataclass(frozen=True)
class SealCandidate:
    """A seal found on a page; positions and sizes are fractions of the page's width/height."""

    cx: float
    cy: float
    width: float
    height: float
    rim_coverage: float
    hollowness: float
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {k: round(v, 4) for k, v in self.__dict__.items()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "SealCandidate":
        return cls(**{k: float(data[k]) for k in cls.__dataclass_fields__})


def _red_mask(rgb):  # rgb: uint8 HxWx3 -> bool HxW
    import numpy as np

    r = rgb[..., 0].astype(np.int32)
    g = rgb[..., 1].astype(np.int32)
    b = rgb[..., 2].astype(np.int32)
    mx = np.maximum(np.maximum(r, g), b)
    mn = np.minimum(np.minimum(r, g), b)
    sat = (mx - mn) * 255 // np.maximum(mx, 1)
    # hue near red: red is the maximum, green and blue both well below it
    return (r == mx) & (r - np.maximum(g, b) >= 45) & (sat >= 60) & (r >= 110) & (np.abs(g - b) <= 90)


def is_greyscale(image) -> bool:
    """True for a page scanned without colour (no seal can be seen on it)."""
    import numpy as np

    if image.mode in ("1", "L", "LA", "I", "F", "I;16"):
        return True
    small = image.convert("RGB")
    small.thumbnail((300, 300))
    a = np.asarray(small).astype(np.int16)
    spread = a.max(axis=2) - a.min(axis=2)
    return bool((spread > 40).mean() < 0.0005)


def _components(mask):
    """8-connected components of a bool mask: list of (row0, row1, col0, col1, pixels)."""
    import numpy as np

    h, w = mask.shape
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    d = np.diff(padded, axis=1)
    starts = np.argwhere(d == 1)
    ends = np.argwhere(d == -1)
    if len(starts) == 0:
        return []
    rows = starts[:, 0]
    s = starts[:, 1].tolist()
    e = ends[:, 1].tolist()  # exclusive
    n = len(s)
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    row_idx = np.searchsorted(rows, np.arange(h + 1)).tolist()
    for r in range(1, h):
        i, a1 = row_idx[r - 1], row_idx[r]
        j, b1 = row_idx[r], row_idx[r + 1]
        while i < a1 and j < b1:
            if s[j] <= e[i] and s[i] <= e[j]:  # overlapping or diagonal neighbours
                ri, rj = find(i), find(j)
                if ri != rj:
                    parent[rj] = ri
            if e[i] < e[j]:
                i += 1
            else:
                j += 1
    roots = np.array([find(k) for k in range(n)])
    rows_a = np.asarray(rows)
    s_a = np.asarray(s)
    e_a = np.asarray(e)
    order = np.argsort(roots, kind="stable")
    roots_sorted = roots[order]
    bounds = np.flatnonzero(np.diff(roots_sorted)) + 1
    groups = np.split(order, bounds)
    result = []
    for g in groups:
        result.append((
            int(rows_a[g].min()), int(rows_a[g].max()) + 1,
            int(s_a[g].min()), int(e_a[g].max()),
            int((e_a[g] - s_a[g]).sum()),
        ))
    return result


def _analyse(sub):
    """Ring measures of the red pixels in a bounding box: (rim_coverage, hollowness, inner)."""
    import numpy as np

    h, w = sub.shape
    cy, cx = (h - 1) / 2.0, (w - 1) / 2.0
    a, b = max(w / 2.0, 1.0), max(h / 2.0, 1.0)
    yy, xx = np.mgrid[0:h, 0:w]
    dx = (xx - cx) / a
    dy = (yy - cy) / b
    r = np.sqrt(dx * dx + dy * dy)
    theta = np.arctan2(dy, dx)
    rim = (r >= 0.80) & (r <= 1.04)
    interior = (r >= 0.30) & (r <= 0.75)
    inside = r < 0.80
    rim_red = sub & rim
    sectors = ((theta + np.pi) / (2 * np.pi) * SECTORS).astype(int) % SECTORS
    counts = np.bincount(sectors[rim_red], minlength=SECTORS)
    area = np.bincount(sectors[rim], minlength=SECTORS)
    covered = counts >= np.maximum(1, area * 0.04)
    rim_coverage = float(covered.mean())
    rim_density = float(rim_red.sum()) / max(1, int(rim.sum()))
    interior_density = float((sub & interior).sum()) / max(1, int(interior.sum()))
    inner_density = float((sub & inside).sum()) / max(1, int(inside.sum()))
    hollowness = rim_density / max(interior_density, 1e-3)
    return rim_coverage, min(hollowness, 99.0), inner_density


def find_seals(image) -> list[SealCandidate]:
    """Red seals on a page image (a PIL image of any mode); [] for none."""
    import numpy as np
    from PIL import Image, ImageFilter

    if is_greyscale(image):
        return []
    page = image.convert("RGB")
    full_w, full_h = page.size
    scale = min(1.0, ANALYSIS_SIDE / max(full_w, full_h))
    if scale < 1.0:
        page = page.resize((max(1, round(full_w * scale)), max(1, round(full_h * scale))), Image.BILINEAR)
    rgb = np.asarray(page)
    mask = _red_mask(rgb)
    if not mask.any():
        return []
    closed = np.asarray(Image.fromarray(mask.astype(np.uint8) * 255).filter(ImageFilter.MaxFilter(3))) > 0
    h, w = mask.shape
    short = min(h, w)
    found: list[SealCandidate] = []
    boxes: list[tuple[int, int, int, int]] = []
    # largest first, so that a seal's inner blobs meet the seal's box
    for r0, r1, c0, c1, pixels in sorted(_components(closed), key=lambda c: -(c[1] - c[0]) * (c[3] - c[2])):
        bh, bw = r1 - r0, c1 - c0
        size = max(bh, bw) / short
        if not MIN_REL_SIZE <= size <= MAX_REL_SIZE:
            continue
        aspect = bw / max(bh, 1)
        if not MIN_ASPECT <= aspect <= MAX_ASPECT:
            continue
        sub = mask[r0:r1, c0:c1]
        rim_coverage, hollowness, inner = _analyse(sub)
        if (rim_coverage < MIN_RIM_COVERAGE or hollowness < MIN_HOLLOWNESS
                or not MIN_INNER_DENSITY <= inner <= MAX_INNER_DENSITY):
            continue
        confidence = min(1.0, 0.5 + 0.5 * (rim_coverage - MIN_RIM_COVERAGE) / (1 - MIN_RIM_COVERAGE)
                         + 0.1 * min(hollowness - MIN_HOLLOWNESS, 2.0))
        box = (r0, r1, c0, c1)
        if any(b[0] <= (r0 + r1) / 2 <= b[1] and b[2] <= (c0 + c1) / 2 <= b[3] for b in boxes):
            continue  # a blob inside a seal already found (its text on the arc)
        boxes.append(box)
        found.append(SealCandidate(
            cx=(c0 + c1) / 2 / w, cy=(r0 + r1) / 2 / h, width=bw / w, height=bh / h,
            rim_coverage=rim_coverage, hollowness=hollowness, confidence=round(min(confidence, 0.99), 3),
        ))
    found.sort(key=lambda c: (c.cy, c.cx))
    return found

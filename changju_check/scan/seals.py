"""Red seals (公章) on a page, with numpy and Pillow only.

A Chinese official seal is a red ring (round, or oval for some special-purpose seals), usually
with a star in the middle and the unit's name on an arc inside the ring. Red printed text, a red
heading, a red rule or a red logo must not count. The detector:

1. downsizes the page (long side `ANALYSIS_SIDE` pixels) and builds a red mask in HSV: hue near 0,
   enough saturation and brightness, and red clearly above green and blue (faint, pinkish seal
   ink still passes; dark red-brown text and grey-scale scans do not);
2. closes small gaps (a 3x3 max filter), labels 8-connected blobs (run-length union-find) and
   merges blobs whose boxes nearly touch, so that a ring broken by black text stamped over, or
   the glyphs of a heading, each become one cluster;
3. keeps clusters whose bounding box is 6-50 % of the page's short side (a 20-50 mm seal on A4 is
   about 10-24 %) with an aspect ratio of 0.6-1.6;
4. fits an ellipse along the red pixels' principal axes (a crooked oval seal is measured along
   its own axes; axis ratio at most 1.6) and looks at the normalised radius r:
   - rim coverage: the share of 48 angular sectors that have red on the rim (0.80 <= r <= 1.04);
     a ring is closed, so most sectors have it;
   - hollowness: in the radial profile (bands of 0.05), the densest band near the rim is much
     denser than the interior 0.30 <= r <= 0.75 (a ring is a thin dense band; a blob of red
     text or a disc is not);
   - the inside is neither empty (a seal has a star, text on the arc) nor solid (a filled logo):
     0.4-50 % of the ellipse inside r < 0.8 is red.

Thresholds are tuned on tests/scans (stamped pages of several sizes, faint ink, oval seals, and
near misses: a red heading, a red logo, red rules, a blank page). `SEAL_ALGO_VERSION` is part of
the cache key: bump it when the detector changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["SEAL_ALGO_VERSION", "SealCandidate", "find_seals", "is_greyscale"]

SEAL_ALGO_VERSION = "seal-3"
ANALYSIS_SIDE = 1000

MIN_REL_SIZE = 0.06
MAX_REL_SIZE = 0.50
MIN_ASPECT = 0.6
MAX_ASPECT = 1.6
MIN_RIM_COVERAGE = 0.70
MIN_HOLLOWNESS = 1.5  # densest thin band near the rim / density of 0.30 <= r <= 0.75
MIN_INNER_DENSITY = 0.004  # something inside the ring: star, text on the arc
MAX_INNER_DENSITY = 0.5  # but not a solid disc (a filled logo)
SECTORS = 48
CLUSTER_GAP = 0.012  # blobs closer than this (fraction of the page's short side) form one cluster


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
    # hue within about 20 degrees of red (|g - b| <= chroma / 3); red is the maximum and well
    # above green and blue; enough saturation and brightness (orange-brown frames, pink paper,
    # dark red-brown text fail)
    return (r == mx) & (r - np.maximum(g, b) >= 45) & (sat >= 60) & (r >= 110) & (3 * np.abs(g - b) <= (mx - mn))


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


def _clusters(components, gap: int) -> list[tuple[int, int, int, int]]:
    """Merge blobs whose boxes come within `gap` pixels: a ring broken by black text over it
    falls apart into arcs, which belong together again here."""
    boxes = [list(c[:4]) for c in components]
    merged = True
    while merged:
        merged = False
        out: list[list[int]] = []
        for b in boxes:
            for o in out:
                if b[0] <= o[1] + gap and o[0] <= b[1] + gap and b[2] <= o[3] + gap and o[2] <= b[3] + gap:
                    o[0], o[1], o[2], o[3] = min(o[0], b[0]), max(o[1], b[1]), min(o[2], b[2]), max(o[3], b[3])
                    merged = True
                    break
            else:
                out.append(b)
        boxes = out
    return [tuple(b) for b in boxes]


def _analyse(sub):
    """Ring measures of the red pixels in a cluster's box: (rim_coverage, hollowness, inner,
    axis_ratio). The ellipse is fitted along the pixels' principal axes, so a crooked oval seal
    is measured along its own axes."""
    import numpy as np

    h, w = sub.shape
    ys, xs = np.nonzero(sub)
    if len(xs) < 20:
        return 0.0, 0.0, 0.0, 99.0
    pts = np.stack([xs, ys], axis=1).astype(float)
    mean = pts.mean(axis=0)
    cov = np.cov((pts - mean).T)
    _, vecs = np.linalg.eigh(cov)
    e1, e2 = vecs[:, 1], vecs[:, 0]
    pu = (pts - mean) @ e1
    pv = (pts - mean) @ e2
    u0, u1 = np.percentile(pu, [0.5, 99.5])
    v0, v1 = np.percentile(pv, [0.5, 99.5])
    a, b = max((u1 - u0) / 2.0, 1.0), max((v1 - v0) / 2.0, 1.0)
    centre = mean + e1 * (u0 + u1) / 2.0 + e2 * (v0 + v1) / 2.0
    yy, xx = np.mgrid[0:h, 0:w]
    gx, gy = xx - centre[0], yy - centre[1]
    du = (gx * e1[0] + gy * e1[1]) / a
    dv = (gx * e2[0] + gy * e2[1]) / b
    r = np.sqrt(du * du + dv * dv)
    theta = np.arctan2(dv, du)
    rim = (r >= 0.80) & (r <= 1.04)
    interior = (r >= 0.30) & (r <= 0.75)
    inside = r < 0.80
    rim_red = sub & rim
    sectors = ((theta + np.pi) / (2 * np.pi) * SECTORS).astype(int) % SECTORS
    counts = np.bincount(sectors[rim_red], minlength=SECTORS)
    area = np.bincount(sectors[rim], minlength=SECTORS)
    covered = counts >= np.maximum(1, area * 0.04)
    rim_coverage = float(covered.mean())
    # radial profile: the ring is the densest thin band near r = 1
    bins = np.clip((r / 0.05).astype(int), 0, 24)
    red_per_bin = np.bincount(bins[sub], minlength=25).astype(float)
    area_per_bin = np.maximum(np.bincount(bins.ravel(), minlength=25).astype(float), 1.0)
    profile = red_per_bin / area_per_bin
    ring_peak = float(profile[16:21].max())  # 0.80 <= r < 1.05
    interior_density = float((sub & interior).sum()) / max(1, int(interior.sum()))
    inner_density = float((sub & inside).sum()) / max(1, int(inside.sum()))
    hollowness = ring_peak / max(interior_density, 0.02)
    return rim_coverage, min(hollowness, 99.0), inner_density, max(a, b) / min(a, b)


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
    # blobs too large to be (part of) a seal - a page frame, a red band - stay out of clusters
    blobs = [c for c in _components(closed) if max(c[1] - c[0], c[3] - c[2]) / short <= MAX_REL_SIZE]
    clusters = _clusters(blobs, gap=max(2, int(short * CLUSTER_GAP)))
    # largest first, so that a seal's inner blobs meet the seal's box
    for r0, r1, c0, c1 in sorted(clusters, key=lambda c: -(c[1] - c[0]) * (c[3] - c[2])):
        bh, bw = r1 - r0, c1 - c0
        size = max(bh, bw) / short
        if not MIN_REL_SIZE <= size <= MAX_REL_SIZE:
            continue
        aspect = bw / max(bh, 1)
        if not MIN_ASPECT <= aspect <= MAX_ASPECT:
            continue
        sub = mask[r0:r1, c0:c1]
        rim_coverage, hollowness, inner, axis_ratio = _analyse(sub)
        if (rim_coverage < MIN_RIM_COVERAGE or hollowness < MIN_HOLLOWNESS or axis_ratio > MAX_ASPECT
                or not MIN_INNER_DENSITY <= inner <= MAX_INNER_DENSITY):
            continue
        confidence = (0.5 + 0.3 * (rim_coverage - MIN_RIM_COVERAGE) / (1 - MIN_RIM_COVERAGE)
                      + 0.2 * min(1.0, (hollowness - MIN_HOLLOWNESS) / 3.0))
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

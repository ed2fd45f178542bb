"""Recognition: which material each file is.

- `names.py`  the recogniser (file-name keywords, years, leading numbers, text-layer fallback)
- `assign.py` the file → material assignment (manifest mapping, names, text layers; CJ103/CJ104)
"""

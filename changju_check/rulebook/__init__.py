"""The rules: the guide as data (`<year>/*.yaml`) and what is built from it.

- `model.py`     typed records of the rule files (pydantic)
- `load.py`      `load_rules(directory)`: reads and cross-checks a rule directory (`RuleSet`, `RuleError`)
- `cache.py`     the compiled cache of validated rule sets and checklists (light: no pydantic)
- `codes.py`     the finding-code catalogue (`codes.yaml`): `finding(code, ...)`, `catalogue()`
- `checklist.py` list-required's records of a category, as plain data
- `template.py`  the commented manifest `changju init` writes

Kept light on purpose: importing this package imports none of its modules.
"""

"""The rule set: the guide as data (rules/<year>/*.yaml), loaded into typed records.

`load_rules(directory)` reads a rule directory and checks it as a whole: every
material a category references exists in the catalogue, every fact a condition
names is a manifest fact, keys and aliases are unique. A broken rule file
raises `RuleError` naming the file, the line and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from changju_check.report import Msg, PortableError
from changju_check.rulebook.model import (
    Binding,
    Catalogue,
    Category,
    ContractConstraint,
    EquityConstraint,
    OfflineType,
    OfflineTypes,
    YearsConstraint,
)

CATEGORY_ORDER = ("registration", "research", "startup", "service", "finance", "management", "youth", "forum")
SUPPORT_FILES = ("catalogue.yaml", "offline.yaml", "binding.yaml")


class RuleError(PortableError):
    """A rule file that cannot be used; the message names file, line and field."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))

    def to_msg(self) -> Msg:
        text = "\n".join(self.problems)
        return Msg(zh="规则文件有误：\n" + text, en="Invalid rule files:\n" + text)


from changju_check.rulebook.cache import default_rules_dir, fold  # noqa: E402  (light helpers, re-exported)


@dataclass
class RuleSet:
    directory: Path
    catalogue: Catalogue
    categories: dict[str, Category]  # in CATEGORY_ORDER, then any other
    offline: list[OfflineType]
    binding: Binding
    _aliases: dict[str, str] = field(default_factory=dict)

    def find(self, name: str) -> Category | OfflineType | None:
        """A category or an offline type by key, Chinese title or alias."""
        key = self._aliases.get(fold(name))
        if key is None:
            return None
        if key in self.categories:
            return self.categories[key]
        for t in self.offline:
            if t.key == key:
                return t
        return None

    def category_names(self) -> list[str]:
        return list(self.categories)


# --------------------------------------------------------------------------- loading


def _read(path: Path) -> tuple[Any, dict[tuple, int]]:
    from changju_check.manifest.safeyaml import YamlLoadError, load_yaml

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RuleError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    try:
        data, lines = load_yaml(raw, str(path))
    except YamlLoadError as exc:
        raise RuleError([str(exc)]) from None
    if not isinstance(data, dict):
        raise RuleError([f"{path}:1: the top level must be a mapping"])
    return data, lines


def _line_for(lines: dict[tuple, int], loc: tuple) -> int | None:
    path = tuple(loc)
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get(())


def _validate(model, path: Path, data: Any, lines: dict[tuple, int]):
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            # drop pydantic's union/discriminator tags from the location: keep keys and indexes
            loc = tuple(p for p in err["loc"] if isinstance(p, int) or not _is_tag(p, err))
            dotted = ".".join(str(p) for p in loc) or "(top level)"
            line = _line_for(lines, loc)
            where = f"{path}:{line}" if line else str(path)
            msg = err["msg"]
            if err["type"] == "missing" and len(loc) == 1 and isinstance(loc[0], str):
                # a required top-level field says what it is for (its description in model.py)
                about = getattr(model.model_fields.get(loc[0]), "description", None)
                msg = f"{msg} — {about}" if about else msg
            problems.append(f"{where}: {dotted}: {msg}")
        raise RuleError(problems) from None


def _is_tag(part: Any, err: dict) -> bool:
    # discriminated unions put the tag value ("years", "contract") into the location;
    # plain unions put the type name ("bool", "Requirement")
    return isinstance(part, str) and (
        part in {"years", "contract", "equity", "ordered", "recent", "min_pages", "max_count", "contents"}
        or part[:1].isupper()
        or part in {"bool", "str", "int", "float", "list[Accept]"}
    )


def _load_dir(directory: Path) -> RuleSet:
    if not directory.is_dir():
        raise RuleError([f"{directory}: not a rule directory"])
    missing = [name for name in SUPPORT_FILES if not (directory / name).is_file()]
    if missing:
        raise RuleError([f"{directory / name}: missing" for name in missing])

    cat_data, cat_lines = _read(directory / "catalogue.yaml")
    catalogue = _validate(Catalogue, directory / "catalogue.yaml", cat_data, cat_lines)
    off_data, off_lines = _read(directory / "offline.yaml")
    offline = _validate(OfflineTypes, directory / "offline.yaml", off_data, off_lines)
    bind_data, bind_lines = _read(directory / "binding.yaml")
    binding = _validate(Binding, directory / "binding.yaml", bind_data, bind_lines)

    loaded: dict[str, tuple[Category, Path, dict[tuple, int]]] = {}
    problems: list[str] = []
    for path in sorted(directory.glob("*.yaml")):
        if path.name in SUPPORT_FILES:
            continue
        try:
            data, lines = _read(path)
            category = _validate(Category, path, data, lines)
        except RuleError as exc:
            problems.extend(exc.problems)
            continue
        if category.key in loaded:
            problems.append(f"{path}: key: category {category.key!r} is defined twice")
            continue
        loaded[category.key] = (category, path, lines)
    if problems:
        raise RuleError(problems)

    problems += _cross_check(catalogue, loaded, offline.types, binding)
    if problems:
        raise RuleError(problems)

    order = [k for k in CATEGORY_ORDER if k in loaded] + sorted(k for k in loaded if k not in CATEGORY_ORDER)
    rules = RuleSet(
        directory=directory,
        catalogue=catalogue,
        categories={k: loaded[k][0] for k in order},
        offline=list(offline.types),
        binding=binding,
    )
    for key in order:
        category = rules.categories[key]
        for name in [key, category.title, *category.aliases]:
            rules._aliases[fold(name)] = key
    for t in rules.offline:
        for name in [t.key, t.title, *t.aliases]:
            rules._aliases.setdefault(fold(name), t.key)
    return rules


def _cross_check(catalogue: Catalogue, loaded, offline: list[OfflineType], binding: Binding) -> list[str]:
    from changju_check.manifest import FACT_NAMES

    problems: list[str] = []
    known = set(catalogue.materials)
    seen_names: dict[str, str] = {}
    for name, material in catalogue.materials.items():
        for target in material.counts_as:
            if target not in known or target == name:
                problems.append(f"catalogue.yaml: materials.{name}.counts_as: {target!r} is not another material of the catalogue")
        keys = [part.key for part in material.parts]
        if len(set(keys)) != len(keys):
            problems.append(f"catalogue.yaml: materials.{name}.parts: a part key is used twice")
        conditions = [c for c in [material.parts_unless, *(part.unless for part in material.parts)] if c is not None]
        for fact in sorted({f for c in conditions for f in c.facts()}):
            if fact not in FACT_NAMES:
                problems.append(f"catalogue.yaml: materials.{name}.parts: unknown fact {fact!r} in a condition")
    for key, (category, path, lines) in loaded.items():
        for name in [key, category.title, *category.aliases]:
            other = seen_names.setdefault(fold(name), key)
            if other != key:
                problems.append(f"{path}: aliases: {name!r} names both {other!r} and {key!r}")
        if category.binding is not None and binding.cover_for(category.binding) is None:
            problems.append(f"{path}:{lines.get(('binding',), '')}: binding: no cover for {category.binding!r} in binding.yaml")
        item_ids: set[str] = set()
        for s_index, section in enumerate(category.sections):
            for i_index, item in enumerate(section.items):
                loc = ("sections", s_index, "items", i_index)
                where = f"{path}:{_line_for(lines, loc)}"
                field_path = f"sections.{s_index}.items.{i_index}"
                if item.key in item_ids:
                    problems.append(f"{where}: {field_path}.id: item id {item.key!r} is used twice in {key}")
                item_ids.add(item.key)
                for material in item.all_materials():
                    if material not in known:
                        problems.append(f"{where}: {field_path}: unknown material {material!r} (not in catalogue.yaml)")
                conditions = [c.when for c in item.cases() if c.when is not None]
                for req in (item.required, item.applies):
                    if req is not None and not isinstance(req, bool):
                        conditions.append(req.when or req.unless)
                for condition in conditions:
                    for fact in condition.facts():
                        if fact not in FACT_NAMES:
                            problems.append(f"{where}: {field_path}: unknown fact {fact!r} in a condition")
                for c_index, constraint in enumerate(item.constraints):
                    target = getattr(constraint, "material", None)
                    if isinstance(constraint, (YearsConstraint, ContractConstraint)) and target is not None:
                        if target not in item.all_materials() and isinstance(constraint, YearsConstraint):
                            problems.append(
                                f"{where}: {field_path}.constraints.{c_index}.material: {target!r} is not accepted by this item"
                            )
                    if isinstance(constraint, EquityConstraint) and not item.all_materials():
                        problems.append(f"{where}: {field_path}: equity constraint on an item without materials")
    for t in offline:
        if t.key in loaded:
            problems.append(f"offline.yaml: key: {t.key!r} is also a category")
        for fact in sorted(t.when.facts()) if t.when is not None else []:
            if fact not in FACT_NAMES:
                problems.append(f"offline.yaml: {t.key}.when: unknown fact {fact!r} in a condition")
    return problems


# --------------------------------------------------------------------------- the compiled cache
# (see changju_check/rulebook/cache.py): a validated rule set is kept as JSON (rules/frozen.py: plain
# data, its shape checked when read, never code), keyed by the version and the bytes of every rule
# file and of the code that writes and reads it.

_RULESET_CODE = (Path(__file__).parent / "model.py", Path(__file__), Path(__file__).parent / "frozen.py")


def _entry_name(directory: Path) -> str | None:
    from changju_check.rulebook import cache as rulecache

    key = rulecache.fingerprint(directory, _RULESET_CODE)
    return f"ruleset-{key}.json" if key else None


def _from_cache(directory: Path) -> RuleSet | None:
    """The cached rule set, or None: a missing, damaged or foreign entry is a miss."""
    import json

    from changju_check.rulebook import cache as rulecache
    from changju_check.rulebook import model
    from changju_check.rulebook.frozen import FORMAT, BadEntry, Decoder, model_classes

    name = _entry_name(directory)
    raw = rulecache.read(name) if name else None
    if raw is None:
        return None
    try:
        data = json.loads(raw)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return None
        decode = Decoder(model_classes(model)).decode
        rules = RuleSet(
            directory=directory,
            catalogue=decode(data["catalogue"]),
            categories=decode(data["categories"]),
            offline=decode(data["offline"]),
            binding=decode(data["binding"]),
            _aliases=decode(data["aliases"]),
        )
    except (ValueError, KeyError, TypeError, RecursionError, BadEntry):
        return None
    shapes = (
        (rules.catalogue, Catalogue),
        (rules.binding, Binding),
    )
    if not all(isinstance(value, cls) for value, cls in shapes):
        return None
    if not (
        isinstance(rules.categories, dict)
        and all(isinstance(k, str) and isinstance(v, Category) for k, v in rules.categories.items())
        and isinstance(rules.offline, list)
        and all(isinstance(t, OfflineType) for t in rules.offline)
        and isinstance(rules._aliases, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in rules._aliases.items())
    ):
        return None
    return rules


def _to_cache(directory: Path, rules: RuleSet) -> None:
    import json

    from changju_check.rulebook import cache as rulecache
    from changju_check.rulebook.frozen import FORMAT, encode

    name = _entry_name(directory)
    if name:
        data = {
            "format": FORMAT,
            "catalogue": encode(rules.catalogue),
            "categories": encode(rules.categories),
            "offline": encode(rules.offline),
            "binding": encode(rules.binding),
            "aliases": encode(rules._aliases),
        }
        rulecache.write(name, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


@lru_cache(maxsize=4)
def _cached(directory: str) -> RuleSet:
    path = Path(directory)
    rules = _from_cache(path)
    if rules is None:
        rules = _load_dir(path)
        _to_cache(path, rules)
    return rules


def load_rules(directory: Path | str | None = None) -> RuleSet:
    """Load and cross-check a rule directory (the shipped 2023 rules by default)."""
    path = Path(directory) if directory is not None else default_rules_dir()
    return _cached(str(path.resolve()))

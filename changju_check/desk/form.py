"""基本情况: the questionnaire behind changju.yaml — which facts a category asks, what the manifest
already says, what the pages say (the report's `facts`, or the facts of its evidence where a report
has no `facts` yet), and the manifest written back when she clicks 保存.

Saving keeps whatever the form does not ask (the system entries, explicit materials, waivers,
as_of) from the manifest already there, and writes the file only when the result reads back as a
valid manifest: a mistake is named on the form, never written into the packet. `save` edits the
file in place (`yamledit`: its comments, the `# 读自 …` notes of `changju init`, her own notes and
its layout kept); where that cannot be done safely the whole file is written and she is told that
its comments could not be kept. Either way the file reads back as the same data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


MANIFEST = "changju.yaml"


@dataclass(frozen=True)
class Field:
    key: str  # manifest path, e.g. applicant.contract.end
    label: str
    kind: str  # text | date | yesno | choice | number | textarea | open_ended
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    group: str = "unit"  # unit | applicant | recommendation


# fact of a category's `facts:` -> the questions that fill it
QUESTIONS: dict[str, tuple[Field, ...]] = {
    "unit.name": (Field("unit.name", "申报单位名称", "text", "与营业执照一致"),),
    "unit.type": (Field("unit.type", "单位类型", "choice", "事业单位无需提供完税证明", (("enterprise", "企业"), ("institution", "事业单位"))),),
    "unit.tax_paid": (Field("unit.tax_paid", "单位已纳税", "yesno", "否：未纳税企业出具“未欠税证明”代替完税证明"),),
    "unit.paid_in_capital": (Field("unit.paid_in_capital", "实缴注册资金（元）", "number", "为 0 时出具情况说明并加盖公章"),),
    "applicant.name": (Field("applicant.name", "申报人姓名", "text", "", group="applicant"),),
    "applicant.nationality": (Field("applicant.nationality", "国籍", "text", "中国籍提供身份证；外籍提供护照（写国家名称或代码，如 美国、US）；港澳台写 香港/澳门/台湾", group="applicant"),),
    "applicant.talent_title": (Field("applicant.talent_title", "拥有市级及以上人才头衔", "yesno", "是：按指南一（二）1，项目须线下申报", group="applicant"),),
    "applicant.team": (Field("applicant.team", "团队申报", "yesno", "是：须提供团队成员社保记录", group="applicant"),),
    "applicant.degree_abroad": (Field("applicant.degree_abroad", "最高学历为国（境）外取得", "yesno", "是：须提供教育部留学服务中心的国（境）外学历学位认证书", group="applicant"),),
    "applicant.hired_on": (Field("applicant.hired_on", "入职日期", "date", "社保记录须“定制时间为入职至今”", group="applicant"),),
    "applicant.contract": (
        Field("applicant.contract.start", "最新工作合同起始日", "date", "", group="applicant"),
        Field("applicant.contract.end", "最新工作合同截止日", "date", "合同期限不低于 2 年，且剩余有效期在半年以上", group="applicant"),
        Field("applicant.contract.open_ended", "无固定期限合同", "yesno", "是：不填截止日", group="applicant"),
    ),
    "applicant.equity": (
        Field("applicant.equity.percent", "申报人持股比例（%）", "number", "30% 及以上无须提供工作合同（青年类）", group="applicant"),
        Field("applicant.equity.largest_natural_person", "申报人为第一大自然人股东", "yesno", "", group="applicant"),
    ),
    "recommendation": (Field("recommendation", "申报单位推荐理由", "textarea", "填入《申报表》“申报单位意见”栏", group="recommendation"),),
}

# facts of the evidence (reports without `facts`) -> the manifest path they fill
EVIDENCE_KEYS = {
    "contract_start": "applicant.contract.start",
    "contract_end": "applicant.contract.end",
    "person_name": "applicant.name",
    "name": "applicant.name",
    "unit_name": "unit.name",
}
SURE = 0.5  # a fact read with less confidence is shown as 需核对


def fields_for(category: Any) -> list[Field]:
    out: list[Field] = []
    for fact in getattr(category, "facts", ()):
        out.extend(QUESTIONS.get(fact, ()))
    return out


def get_path(data: Any, key: str) -> Any:
    node = data
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def current_values(manifest: Any) -> dict[str, Any]:
    """The form's values from a loaded changju.yaml (a dict, or anything else: nothing)."""
    values: dict[str, Any] = {}
    if not isinstance(manifest, dict):
        return values
    for fields in QUESTIONS.values():
        for f in fields:
            value = get_path(manifest, f.key)
            if f.key == "applicant.contract.open_ended":
                contract = get_path(manifest, "applicant.contract")
                value = True if isinstance(contract, dict) and "start" in contract and contract.get("end") is None else None
            if value is not None:
                values[f.key] = value.isoformat() if isinstance(value, date) else value
    return values


def read_facts(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Facts read from the pages, by manifest path: the report's `facts` (issue 27's contract), else
    those of its evidence. The surest reading of each key wins."""
    found: dict[str, dict[str, Any]] = {}
    items = report.get("facts")
    if not isinstance(items, list):
        items = [
            {"key": EVIDENCE_KEYS[e.get("fact")], "value": e.get("value"), "file": e.get("file"), "page": e.get("page"),
             "confidence": e.get("confidence", 0)}
            for e in report.get("evidence", []) or []
            if isinstance(e, dict) and e.get("fact") in EVIDENCE_KEYS
        ]
    boxes = {
        (e.get("file"), e.get("page"), str(e.get("value"))): e["box"]
        for e in report.get("evidence", []) or []
        if isinstance(e, dict) and isinstance(e.get("box"), list) and len(e["box"]) == 4
    }
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("key"), str) or item.get("value") in (None, ""):
            continue
        try:
            confidence = float(item.get("confidence") or 0)
        except (TypeError, ValueError):
            confidence = 0.0
        page = item.get("page") or 1
        box = boxes.get((item.get("file"), page, str(item["value"])))  # where on the page (OCR): the crop shown
        fact = {"key": item["key"], "value": item["value"], "file": item.get("file"), "page": page,
                "confidence": confidence, "sure": confidence >= SURE,
                "box": ",".join(f"{float(v):.4f}" for v in box) if box else None}
        kept = found.get(item["key"])
        if kept is None or confidence > kept["confidence"]:
            found[item["key"]] = fact
    return found


def sources(read: dict[str, dict[str, Any]], fields: list[Field], values: dict[str, Any], confirmed: list[Any]) -> dict[str, str]:
    """Manifest path -> "文件 第N页" of each answer she confirmed (确认) as read from a page: the
    file and page are the report's, and only where the answer sent is the value read."""
    asked = {f.key for f in fields}
    out: dict[str, str] = {}
    for key in confirmed:
        fact = read.get(key) if isinstance(key, str) and key in asked else None
        if fact is not None and fact.get("file") and _plain(key, values.get(key)) == _plain(key, fact["value"]):
            out[key] = f"{fact['file']} 第{fact['page']}页"
    return out


def _plain(key: str, value: Any) -> str | None:
    if value is None:
        return None
    return str(shown(key, value)).strip().lower()


class FormError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _set(data: dict, key: str, value: Any) -> None:
    """Set one answer; an empty one removes the key (left as written where the file already had it
    empty, `name:` as init writes it); a nationality that reads the same (CN, 中国), or a text that
    differs only by the whitespace around it, is left as written."""
    parts = key.split(".")
    node = data
    for part in parts[:-1]:
        if not isinstance(node.get(part), dict):
            if value is None:
                return
            node[part] = {}
        node = node[part]
    last = parts[-1]
    if value is None:
        if node.get(last, 0) is not None:
            node.pop(last, None)
    elif not (key == "applicant.nationality" and _same_nationality(node.get(last), value)) and not _same_text(node.get(last), value):
        node[last] = value


def _same_text(a: Any, b: Any) -> bool:
    """The form's text box strips what surrounds a text: a block scalar's final newline
    (`recommendation: >` reads as "…\n") is not a change, and the block stays as written."""
    return isinstance(a, str) and isinstance(b, str) and a != b and a.strip() == b.strip()


def _same_nationality(a: Any, b: Any) -> bool:
    from changju_check.manifest.nationality import read_nationality

    return isinstance(a, str) and isinstance(b, str) and read_nationality(a) is not None and read_nationality(a) == read_nationality(b)


def shown(key: str, value: Any) -> Any:
    """A value as the form shows it: a nationality by its name (CN → 中国)."""
    if key != "applicant.nationality" or not isinstance(value, str):
        return value
    from changju_check.manifest.nationality import nationality_name, read_nationality

    code = read_nationality(value)
    return nationality_name(code) if code is not None else value


def said(value: Any) -> str:
    """A value in a sentence she reads: 是 / 否 for a yes-or-no (a read fact's True is not "True")."""
    if isinstance(value, bool):
        return "是" if value else "否"
    return "" if value is None else str(value)


def _convert(f: Field, raw: Any, problems: list[str]) -> Any:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if f.kind == "yesno":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("true", "是", "yes", "1"):
            return True
        if text in ("false", "否", "no", "0"):
            return False
        problems.append(f"{f.label}：请选择 是 或 否")
        return None
    if f.kind == "date":
        try:
            return date.fromisoformat(str(raw).strip())
        except ValueError:
            problems.append(f"{f.label}：日期应为 年-月-日，如 2023-08-31")
            return None
    if f.kind == "number":
        try:
            number = float(str(raw).strip().rstrip("%"))
        except ValueError:
            problems.append(f"{f.label}：请填数字")
            return None
        return int(number) if number.is_integer() else number
    if f.kind == "choice" and str(raw) not in {c for c, _ in f.choices}:
        problems.append(f"{f.label}：请从列表中选择")
        return None
    return str(raw).strip()


def build_manifest(existing: Any, category: str, fields: list[Field], values: dict[str, Any]) -> dict[str, Any]:
    """The manifest to write: the existing one, with the category and every answer of the form set
    (an emptied answer removed; a field the form did not send left alone). Raises FormError naming each value that cannot be written."""
    import copy

    data: dict[str, Any] = copy.deepcopy(existing) if isinstance(existing, dict) else {}
    data = {"category": category, **{k: v for k, v in data.items() if k != "category"}}
    problems: list[str] = []
    open_ended = False
    for f in fields:
        if f.key not in values:  # not on the form: left as the manifest has it
            continue
        value = _convert(f, values.get(f.key), problems)
        if f.key == "applicant.contract.open_ended":
            open_ended = bool(value)
            continue
        _set(data, f.key, value)
    if open_ended:
        contract = get_path(data, "applicant.contract")
        if isinstance(contract, dict):
            contract["end"] = None
    contract = get_path(data, "applicant.contract")
    if isinstance(contract, dict) and contract.get("start") is None and contract.get("end") is None:
        data["applicant"].pop("contract", None)
    for group in ("unit", "applicant"):
        if isinstance(data.get(group), dict):
            for sub in ("equity",):
                if data[group].get(sub) == {}:
                    data[group].pop(sub)
            if not data[group]:
                data.pop(group)
    if problems:
        raise FormError(problems)
    return data


def manifest_text(data: dict[str, Any]) -> str:
    """The whole file, written anew (no file yet, or one that cannot be edited in place)."""
    from changju_check.manifest.safeyaml import dump_yaml

    return HEADER + dump_yaml(data)


HEADER = "# changju.yaml：由 changju 桌面应用（changju app）的“基本情况”保存；也可以用记事本修改。\n"
KEPT_ENCODINGS = ("utf-8", "utf-8-sig", "gb18030")  # written back as read; UTF-16/32 files become UTF-8


class Unreadable(ValueError):
    """The packet's changju.yaml cannot be read: saving would replace what it says (she is asked)."""


@dataclass(frozen=True)
class Saved:
    body: bytes  # what changju.yaml will hold
    text: str
    note: str | None = None  # what she is told beside 已保存 (comments not kept, the file replaced)


def save(raw: bytes | None, category: str, fields: list[Field], values: dict[str, Any],
         sources: dict[str, str] | None = None, *, replace: bool = False) -> Saved:
    """What 保存 writes, from the file's bytes (None: no file yet) and the form's answers; `sources`:
    manifest path -> "文件 第N页" of each answer confirmed from a page. The file is edited in place
    where that is safe, else written whole (`note` says so); either way it reads back exactly as
    `build_manifest`'s data. Raises FormError (a wrong answer), Unreadable (the file cannot be read
    and `replace` was not asked)."""
    from changju_check.desk import yamledit
    from changju_check.manifest.safeyaml import YamlLoadError, load_yaml

    paths = {tuple(k.split(".")): v for k, v in (sources or {}).items()}
    old: Any = None
    loaded = None
    note = None
    if raw is not None:
        try:
            loaded = load_yaml(raw, MANIFEST)
        except YamlLoadError as exc:
            if not replace:
                raise Unreadable(f"现有的 changju.yaml 无法读取（{exc.to_msg().zh}）") from None
            note = "原来的 changju.yaml 无法读取，已按表单重新写出（原文件中的内容没有保留）。"
        else:
            old = loaded.data
    data = build_manifest(old, category, fields, values)
    if raw is None:  # a new file: the answers under the header, each confirmed one with where it was read
        text, encoding = HEADER, "utf-8"
    elif loaded is not None and (isinstance(old, dict) or old is None):  # None: a file of comments only
        # the decoding load_yaml chose (a byte-order mark is dropped, utf-8-sig writes it again)
        text = raw.decode(loaded.encoding).lstrip("\ufeff")
        encoding = loaded.encoding if loaded.encoding in KEPT_ENCODINGS else "utf-8"
    else:
        text = encoding = None
        if loaded is not None:
            note = "changju.yaml 的内容不是“键: 值”的清单，已按表单重新写出整个文件。"
    if text is not None:
        try:
            edited = yamledit.edit(text, old or {}, data, paths)
        except yamledit.CannotEdit as exc:
            if raw is not None:
                note = f"changju.yaml 中的注释没能保留（{exc.reason}），已按表单重新写出整个文件。"
        else:
            return Saved(edited.encode(encoding), edited)
    text = manifest_text(data)
    try:
        same = yamledit.same(load_yaml(text, MANIFEST).data, data)
    except YamlLoadError:
        same = False
    if not same:
        raise FormError(["填写的内容无法按原样写入 changju.yaml，请检查特殊字符"])
    return Saved(text.encode("utf-8"), text, note)

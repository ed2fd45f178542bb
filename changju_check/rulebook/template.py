"""`changju init`: a commented changju.yaml for one category, with only the facts it uses.

Each fact carries the guide's wording as a comment, so the person filling it in
sees why it is asked.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from changju_check.rulebook.load import RuleSet
from changju_check.rulebook.model import Category

SCHEMA_FILE = "manifest.schema.json"

# fact (as listed in a category's `facts:`) -> (key, how it is written, comment in Chinese, comment in English).
# How it is written: "empty" (to fill; the example goes in the comment), "commented" (the whole line is a
# comment holding the example: uncommented unedited it is CJ407), or a neutral default written as is
# (the reading the checker takes anyway when the fact is not given).
_FACTS: dict[str, tuple[str, str, str, str]] = {
    "unit.name": ("name", "empty", "申报单位名称（与营业执照一致）", "the unit's name, as on its licence"),
    "unit.type": ("type", "enterprise", "enterprise 企业 | institution 事业单位（事业单位无需提供完税证明）", "enterprise | institution (an institution gives no tax certificate)"),
    "unit.tax_paid": ("tax_paid", "true", "false：未纳税企业出具“未欠税证明”", "false: an enterprise that paid no tax gives 未欠税证明"),
    "unit.paid_in_capital": ("paid_in_capital", "empty", "实缴注册资金（元）；为0时出具情况说明并加盖公章", "paid-in capital in yuan; 0: a sealed explanation letter instead of the bank receipt"),
    "applicant.name": ("name", "empty", "申报人姓名", "the applicant's name"),
    # written as people write it (中国, China: see `_nationality_line`); CN, 美国, US … read the same
    "applicant.nationality": ("nationality", "CN", "中国籍人才提供有效身份证，外籍人才提供有效护照（填国家名称或代码，如 美国、US）；港澳台填 香港、澳门、台湾",
                              "China for Chinese nationals (ID card); another country's name or ISO code needs a passport"),
    "applicant.team": ("team", "false", "团队申报填 true：团队成员《北京市社会保险个人权益记录》仅限团队提供", "true for a team application (team members' social insurance records)"),
    "applicant.degree_abroad": ("degree_abroad", "false", "国外取得学历填 true：须提供教育部留学服务中心出具的“国(境)外学历学位认证书”", "true for a foreign degree (needs the CSCSE verification)"),
    "applicant.degree": ("degree", "true", "获得学位填 true；只有学历、没有学位（如专科）填 false：学历、学位证书和认证书只需学历部分", "true when the applicant holds a degree; false: a diploma only, so only the diploma and its verification are asked for"),
    "applicant.hired_on": ("hired_on", "empty", "入职日期（社保记录“定制时间为入职至今”）", "hiring date (the social insurance record covers hiring to date)"),
    "applicant.contract": (
        "contract",
        "commented",
        "最新工作合同：合同期限不低于2年，且合同剩余有效期在半年以上；无固定期限合同不写 end",
        "latest contract: a term of at least 2 years and at least six months left; leave out `end` for an open-ended contract",
    ),
    "applicant.equity": (
        "equity",
        "commented",
        "持股比例（%）及是否为第一大自然人股东",
        "shareholding (%) and whether the applicant is the largest natural-person shareholder",
    ),
}

# The template's example values, shown in its comments (and written as values by changju init before
# 0.2). A manifest still holding one is CJ407; the fact then counts as not given. "strong" examples
# are never real facts; "weak" ones (a date, a share, a sum) are flagged only beside a strong one.
EXAMPLES: dict[str, tuple[object, str]] = {
    "unit.name": ("北京某某科技有限公司", "strong"),
    "applicant.name": ("张三", "strong"),
    "applicant.contract": ((date(2021, 3, 1), date(2024, 2, 29)), "strong"),
    "recommendation": ("申报单位推荐理由……", "strong"),
    "unit.paid_in_capital": (5000000, "weak"),
    "applicant.hired_on": (date(2021, 3, 1), "weak"),
    "applicant.equity.percent": (35, "weak"),
}
EXAMPLE_TEXT = {
    "unit.name": "北京某某科技有限公司",
    "unit.paid_in_capital": "5000000",
    "applicant.name": "张三",
    "applicant.hired_on": "2021-03-01",
    "applicant.contract": "{start: 2021-03-01, end: 2024-02-29}",
    "applicant.equity": "{percent: 35, largest_natural_person: true}",
    "recommendation": "申报单位推荐理由……",
}
# the facts the template leaves empty for the user to fill
TO_FILL = ("unit.name", "unit.paid_in_capital", "applicant.name", "applicant.hired_on", "recommendation")


def left_empty(manifest) -> list[str]:
    """Facts the file names but leaves empty (`name:` with nothing after it), as the template writes them."""
    lines = manifest.lines
    return [f for f in TO_FILL if tuple(f.split(".")) in lines and _value(manifest, f) is None]
# facts that decide whether a material is required: an example there would silently drop one
CONDITION_FACTS = frozenset({"unit.paid_in_capital", "applicant.hired_on", "applicant.contract", "applicant.equity.percent"})


def _value(manifest, fact: str):
    node = manifest
    for part in fact.split("."):
        node = getattr(node, part, None) if node is not None else None
    return node


def value_of(manifest, fact: str):
    """The manifest's value of a dotted fact as written (applicant.contract: the Contract)."""
    return _value(manifest, fact)


def example_values(manifest) -> list[str]:
    """The facts of `manifest` that still hold the template's example (see EXAMPLES), in order."""
    found = []
    for fact, (example, _) in EXAMPLES.items():
        value = _value(manifest, fact)
        if fact == "applicant.contract":
            value = (value.start, value.end) if value is not None else None
        elif fact == "recommendation" and isinstance(value, str):
            value = example if value.strip().startswith("申报单位推荐理由") else value
        if value is not None and value == example and not isinstance(value, bool):
            found.append(fact)
    if not any(EXAMPLES[f][1] == "strong" for f in found):
        return []
    return found


def without_facts(manifest, facts) -> object:
    """A copy of the manifest with these facts not given (line map and notes kept)."""
    update: dict[str, dict] = {}
    for fact in facts:
        parts = fact.split(".")
        if parts[0] == "applicant" and parts[1] == "equity":
            update.setdefault("applicant", {})["equity"] = manifest.applicant.equity.model_copy(update={"percent": None})
        elif len(parts) == 2:
            update.setdefault(parts[0], {})[parts[1]] = None
        else:
            update[parts[0]] = None
    changes = {}
    for group, fields in update.items():
        if isinstance(fields, dict):
            changes[group] = getattr(manifest, group).model_copy(update=fields)
        else:
            changes[group] = None
    return manifest.model_copy(update=changes)


_ENTRIES = {
    "patents": ("申报人专利，按系统填报顺序", "the applicant's patents, in the system's order"),
    "awards": ("申报人获奖，按系统填报顺序", "the applicant's awards, in the system's order"),
    "projects": ("申报人近三年承担项目（课题），按系统填报顺序；可写 {title: …, year: 2022}", "projects of the last three years, in the system's order"),
    "standards": ("标准制定，按系统填报顺序", "standards, in the system's order"),
    "papers": ("学术论文，按系统填报顺序", "papers, in the system's order"),
    "unit_patents": ("申报单位专利，按系统填报顺序", "the unit's patents, in the system's order"),
    "unit_awards": ("申报单位奖项及资质，按系统填报顺序", "the unit's awards and qualifications, in the system's order"),
    "unit_projects": ("申报单位近三年承担项目，按系统填报顺序", "the unit's projects, in the system's order"),
    "innovations": ("工作创新情况，按系统填报顺序", "the innovation items, in the system's order"),
}


# facts whose comment is the guide's own sentence (一（二）1), kept apart from the placeholders above
_FACTS["applicant.talent_title"] = (
    "talent_title",
    "false",
    "是否拥有市级及以上人才头衔；true：“凡涉及拥有市级及以上人才头衔个人信息的项目，均采用线下申报形式”",
    "a municipal-or-higher talent title? true: such projects are filed offline (一（二）1)",
)


def _guide_comment(category: Category, fact: str) -> tuple[str, str] | None:
    """The comment a category words differently: the forum's 有效期内工作合同 has no 2-year term."""
    if fact != "applicant.contract":
        return None
    for _, item in category.items():
        for c in item.constraints:
            if c.type == "contract" and (c.in_force or not (c.min_years or c.min_remaining_months)):
                return (
                    "有效期内工作合同：起止日期（参照日期须在合同起止日期之内，含截止日当天）；无固定期限合同不写 end",
                    "a contract in force: its dates (the reference date must fall within them); leave out `end` for an open-ended contract",
                )
    return None


def schema_uri() -> str:
    """The JSON Schema shipped inside the installed package, as a file URI for editors."""
    from importlib import resources

    path = Path(str(resources.files("changju_check").joinpath("data", SCHEMA_FILE))).resolve()
    return path.as_uri()


def _yaml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    import json

    # a name or date as YAML reads it back (quoted where YAML would take it for something else)
    return text if text.replace("-", "").replace("（", "").replace("）", "").isalnum() else json.dumps(text, ensure_ascii=False)


def _read_lines(fact: str, key: str, read: dict, en: bool) -> list[str] | None:
    """The manifest lines of a fact read from the pages (`read`: key -> (value, source)), each with
    a comment naming its file and page; None when the pages did not say it."""
    said = "read from" if en else "读自"
    if fact == "applicant.contract":
        start = read.get("applicant.contract.start")
        end = read.get("applicant.contract.end")
        opened = read.get("applicant.contract.open_ended")
        if start is None and end is None:
            return None
        lines = [f"  {key}:"]
        if start is not None:
            lines.append(f"    start: {start[0]}  # {said} {start[1]}")
        if end is not None and not (opened is not None and opened[0] is True):
            lines.append(f"    end: {end[0]}  # {said} {end[1]}")
        elif opened is not None and opened[0] is True:
            lines.append(f"    # {'open-ended: no end' if en else '无固定期限合同：不写 end'}（{said} {opened[1]}）")
        return lines
    got = read.get(fact)
    if got is None:
        return None
    value = _shown(fact, got[0], en)
    return [f"  {key}: {_yaml_value(value)}  # {said} {got[1]}"]


def _shown(fact: str, value, en: bool):
    """A value as the person writes it: a nationality by its name (中国, not CN; it reads back the same)."""
    if fact != "applicant.nationality" or not isinstance(value, str):
        return value
    from changju_check.manifest.nationality import nationality_name

    return nationality_name(value, "en" if en else "zh")


# what `init` asks, in Chinese, of a fact no page of the packet says
_QUESTIONS = {
    "unit.name": ("申报单位的名称是什么？（与营业执照一致）", "What is the unit's name (as on its licence)?"),
    "unit.paid_in_capital": ("实缴注册资金是多少元？（为0时出具情况说明并加盖公章）", "How much capital is paid in (yuan)?"),
    "applicant.name": ("申报人叫什么名字？", "What is the applicant's name?"),
    "applicant.hired_on": ("申报人哪一天入职？", "On what day did the applicant join the unit?"),
    "applicant.contract": ("最新工作合同的起止日期是什么？（无固定期限合同不写 end）", "What are the latest contract's dates?"),
    "applicant.equity": ("申报人持股比例（%）是多少？是否为第一大自然人股东？", "What share of the unit does the applicant hold?"),
}


def render(rules: RuleSet, category: Category, lang: str = "zh", today: date | None = None,
           read: dict | None = None) -> str:
    """The manifest template: the facts to fill are empty (the example in the comment) or a
    commented-out example; nothing in it passes for a real fact.

    `read` (init on a folder of scans): manifest key -> (value, "file 第N页") for every fact the
    packet's pages say; those are written as values with a comment naming where they were read, and
    what no page says is left to fill with the question in Chinese beside it (`check` lists what is
    still empty: CJ407)."""
    en = lang == "en"
    facts = list(category.facts)
    eg = "e.g." if en else "如："
    out = [
        f"# yaml-language-server: $schema={schema_uri()}",
        f"# changju.yaml — {category.title_en if en else category.title} ({category.key})",
        "# " + ("Who it is for: " if en else "适用对象：") + category.audience.get(lang),
        "# " + ("Facts the scans cannot tell; see `changju list-required " if en else "扫描件无法可靠说明的信息；材料清单见 `changju list-required ")
        + category.key + " --all`",
        "# " + ("Fill in the empty values; a line starting with # is an example: edit it and remove the #."
                if en else "请填写空着的值；以 # 开头的行是示例：改成真实情况后去掉行首的 #。"),
        f"category: {category.key}",
        f"as_of: {(today or date.today()).isoformat()}  # " + ("reference date for the contract rules" if en else "参照日期（核对合同剩余有效期等）"),
    ]
    for group in ("unit", "applicant"):
        lines = []
        for fact in facts:
            if not (fact.startswith(group + ".") and fact in _FACTS):
                continue
            key, written, zh, en_text = _FACTS[fact]
            zh, en_text = _guide_comment(category, fact) or (zh, en_text)
            comment = en_text if en else zh
            if read is not None:
                got = _read_lines(fact, key, read, en)
                if got is not None:
                    lines.extend(got)
                    continue
                if fact in _QUESTIONS:  # no page says it: asked, left empty (or commented, as the template has it)
                    q_zh, q_en = _QUESTIONS[fact]
                    ask = f"{'to fill' if en else '待填'}：{q_en if en else q_zh}"
                    lines.append(f"  {key}:  # {ask}" if written == "empty" else f"  # {key}: {EXAMPLE_TEXT[fact]}  # {ask}")
                    continue
            if written == "empty":
                lines.append(f"  {key}:  # {comment}；{eg}{EXAMPLE_TEXT[fact]}" if not en else f"  {key}:  # {comment}; {eg} {EXAMPLE_TEXT[fact]}")
            elif written == "commented":
                lines.append(f"  # {key}: {EXAMPLE_TEXT[fact]}  # {comment}")
            else:
                lines.append(f"  {key}: {_shown(fact, written, en)}  # {comment}")
        if lines:
            out.append(f"{group}:")
            out.extend(lines)
    if "recommendation" in facts and category.recommendation is not None:
        r = category.recommendation
        out.append(
            "# " + (f"the unit's recommendation in the form, {r.min_chars}-{r.max_chars} characters" if en else f"《申报表》申报单位意见：推荐理由，要求{r.min_chars}-{r.max_chars}字")
        )
        if read is not None:  # no document says it: asked
            out.append("recommendation:  # " + ("to fill: why does the unit recommend the applicant?" if en
                                                 else "待填：申报单位的推荐理由（申报人突出业绩、重大贡献等）是什么？"))
        else:
            out.append("recommendation:")
    entries = [f.split(".", 1)[1] for f in facts if f.startswith("entries.")]
    if entries:
        out.append("# entries:  # " + ("what was entered in the online system, in its order" if en else "系统中填报的内容，须与材料顺序一致"))
        for key in entries:
            zh, en_text = _ENTRIES[key]
            out.append(f"#   {key}: [{'title 1, title 2' if en else '名称一, 名称二'}]  # {en_text if en else zh}")
    out.append("# materials:  # " + ("optional: material id -> path or glob, e.g. {labor_contract: scans/005.pdf}" if en else "可选：材料编号 -> 路径或通配符，如 {labor_contract: scans/005.pdf}"))
    out.append("# waive:  # " + ("accepted exceptions: - {code: CJ101, material: …, reason: …}" if en else "已接受的例外：- {code: CJ101, material: …, reason: …}"))
    return "\n".join(out) + "\n"

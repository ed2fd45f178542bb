"""基本情况's 保存 keeps what changju.yaml said: the file `changju init` wrote from her scans (each
fact with `# 读自 文件 第N页`), her agency's notes, blank lines and key order stay byte for byte;
only the answers she changed are replaced, added or removed, and a value she confirmed from a page
gets the comment init writes. Where the file cannot be edited in place safely, the whole file is
written and she is told its comments could not be kept. Either way the file reads back exactly as
the full rewrite would (the same data, the same manifest), and a hostile file is never a crash."""

from __future__ import annotations

import time
from datetime import date

import pytest

from changju_check.desk import form, yamledit
from changju_check.manifest import parse_manifest
from changju_check.manifest.safeyaml import load_yaml
from changju_check.rulebook import template
from changju_check.rulebook.load import load_rules
from tests.desk.desk_app import REPO

RULES = load_rules()
YOUTH = RULES.categories["youth"]
FIELDS = form.fields_for(YOUTH)

# what `changju init 张三 -c youth` writes when the ID card and the 社保 record say these
READ = {"applicant.name": ("刘雨桐", "身份证.pdf 第1页"), "applicant.nationality": ("CN", "身份证.pdf 第1页"),
        "unit.name": ("北京小汤山生物科技有限公司", "社保权益记录.pdf 第1页")}
INIT = template.render(RULES, YOUTH, today=date(2023, 8, 31), read=READ)
AGENCY_NOTE = "# 中介备注：合同原件在人事处，8月28日复印\n"


def answers(**changed: str) -> dict[str, str]:
    """The form as the page sends it: every field, as shown, with her changes."""
    values = {f.key: "" for f in FIELDS}
    values.update({"unit.name": "北京小汤山生物科技有限公司", "unit.type": "enterprise", "unit.tax_paid": "true",
                   "applicant.name": "刘雨桐", "applicant.nationality": "中国", "applicant.talent_title": "false",
                   "applicant.team": "false", "applicant.degree_abroad": "false"})
    values.update({k.replace("__", "."): v for k, v in changed.items()})
    return values


def rewrite(raw: bytes, values: dict) -> dict:
    """What the full rewrite (build_manifest + manifest_text) gives, as loaded data."""
    data = form.build_manifest(load_yaml(raw, "changju.yaml").data, "youth", FIELDS, values)
    return load_yaml(form.manifest_text(data), "changju.yaml").data


def same_manifest(saved: form.Saved, raw: bytes, values: dict) -> None:
    expected = rewrite(raw, values)
    assert load_yaml(saved.body, "changju.yaml").data == expected
    full = parse_manifest(form.manifest_text(expected), "changju.yaml")
    assert parse_manifest(saved.body, "changju.yaml").model_dump() == full.model_dump()


def unchanged_lines(before: str, after: str, touched: set[str]) -> None:
    """Every line of `before` that names none of the `touched` keys (nor comments one out) is in
    `after`, in order."""
    kept = iter(after.splitlines(keepends=True))
    for line in before.splitlines(keepends=True):
        if any(line.lstrip().removeprefix("# ").startswith(key + ":") for key in touched):
            continue
        assert any(other == line for other in kept), f"lost or moved: {line!r}"


def test_saving_the_file_init_wrote_keeps_every_comment_and_says_where_a_confirmed_value_was_read():
    raw = (AGENCY_NOTE + INIT).encode("utf-8")
    values = answers(applicant__hired_on="2020-12-01", applicant__contract__start="2021-03-01",
                     applicant__contract__end="2025-02-28", recommendation="理由" * 30)
    saved = form.save(raw, "youth", FIELDS, values, {"applicant.contract.end": "劳动合同.pdf 第3页"})
    text = saved.body.decode("utf-8")
    assert saved.note is None
    assert text.startswith(AGENCY_NOTE + "# yaml-language-server")  # her agency's note, the schema line: kept
    assert "  name: 刘雨桐  # 读自 身份证.pdf 第1页\n" in text  # init's 读自 comments: kept
    assert "  name: 北京小汤山生物科技有限公司  # 读自 社保权益记录.pdf 第1页\n" in text
    assert "  nationality: 中国  # 读自 身份证.pdf 第1页\n" in text
    assert "  hired_on: 2020-12-01\n" in text  # the 待填 question answered: it goes with the empty value
    assert "    end: 2025-02-28  # 读自 劳动合同.pdf 第3页\n" in text  # confirmed from a page: where it was read
    assert "    start: 2021-03-01\n" in text  # typed by her: no source
    assert "# contract:" not in text and "  # equity: {percent: 35" in text  # init's question answered: the answer in its place
    assert f"recommendation: {'理由' * 30}\n" in text
    assert "# materials:" in text and "# waive:" in text and "# entries:" in text  # init's commented lines
    unchanged_lines(AGENCY_NOTE + INIT, text, {"hired_on", "recommendation", "contract"})
    same_manifest(saved, raw, values)


def test_only_what_she_changed_is_touched_and_the_example_packets_notes_stay():
    raw = (REPO / "examples" / "youth-complete" / "changju.yaml").read_bytes()
    values = answers(applicant__hired_on="2021-01-04", applicant__equity__percent="35",
                     applicant__equity__largest_natural_person="true", recommendation="")
    values["unit.tax_paid"] = ""
    values["applicant.talent_title"] = ""
    saved = form.save(raw, "youth", FIELDS, values)
    before, after = raw.decode("utf-8"), saved.body.decode("utf-8")
    assert saved.note is None
    assert after == before.replace("hired_on: 2020-12-01", "hired_on: 2021-01-04").replace(
        "recommendation: " + before.split("recommendation: ")[1].split("\n")[0] + "\n", "")
    same_manifest(saved, raw, values)


def test_nothing_changed_nothing_written_differently_and_cn_stays_as_written():
    raw = (REPO / "examples" / "youth-complete" / "changju.yaml").read_bytes()
    data = load_yaml(raw, "changju.yaml").data
    values = answers(applicant__hired_on="2020-12-01", applicant__equity__percent="35",
                     applicant__equity__largest_natural_person="true", recommendation=data["recommendation"])
    values["unit.tax_paid"] = ""
    values["applicant.talent_title"] = ""
    saved = form.save(raw, "youth", FIELDS, values)
    assert saved.body == raw  # 中国 on the form, CN in the file: the same nationality, the file untouched


def test_a_notepad_file_keeps_its_line_endings_and_its_encoding():
    text = "category: youth\r\n# 人事处填写\r\napplicant:\r\n  name: 刘雨桐\r\n\r\nunit:\r\n  type: enterprise  # 企业\r\n"
    for encoding in ("gb18030", "utf-8-sig"):
        raw = text.encode(encoding)
        values = answers(unit__name="北京某某生物科技有限公司")
        saved = form.save(raw, "youth", FIELDS, values)
        assert saved.note is None
        assert saved.body.decode(encoding) == (
            "category: youth\r\n# 人事处填写\r\napplicant:\r\n  name: 刘雨桐\r\n"
            "  nationality: 中国\r\n  talent_title: false\r\n  degree_abroad: false\r\n"
            "\r\nunit:\r\n  type: enterprise  # 企业\r\n  name: 北京某某生物科技有限公司\r\n")
        after = saved.body.decode(encoding)
        assert after.count("\r\n") == after.count("\n")  # every line a Windows line
        assert "# 人事处填写\r\n" in after and "\r\n\r\nunit:" in after and "  type: enterprise  # 企业\r\n" in after
        assert saved.body.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
        same_manifest(saved, raw, values)


def test_her_own_comment_beside_a_value_stays_and_a_confirmed_page_is_added_to_it():
    raw = "category: youth\napplicant:\n  name: 刘雨彤  # 身份证复印件不清楚，待核对\n".encode("utf-8")
    values = answers()
    saved = form.save(raw, "youth", FIELDS, values, {"applicant.name": "身份证.pdf 第1页"})
    assert "  name: 刘雨桐  # 身份证复印件不清楚，待核对；读自 身份证.pdf 第1页\n" in saved.body.decode("utf-8")
    same_manifest(saved, raw, values)


@pytest.mark.parametrize("manifest", ["", "# 人事处：下周一前填好\n", "# 只有注释，没有换行"])
def test_a_file_of_comments_only_keeps_them_and_gets_the_answers_after_them(manifest):
    raw = manifest.encode("utf-8")
    values = answers()
    saved = form.save(raw, "youth", FIELDS, values, {"applicant.name": "身份证.pdf 第1页"})
    assert saved.note is None and saved.text.startswith(manifest)
    assert "  name: 刘雨桐  # 读自 身份证.pdf 第1页\n" in saved.text and saved.text.splitlines()[manifest.count("\n") + (manifest[-1:] not in ("", "\n"))] == "category: youth"
    same_manifest(saved, raw, values)


@pytest.mark.parametrize(
    "manifest, why",
    [
        ("category: youth\nrecommendation: >\n  第一行\n  第二行  # 不是注释\n# 推荐理由由人事处撰写\n", "跨了几行"),
        ("category: youth\napplicant: {name: 刘雨桐,\n  team: false}\n# 备注\n", "跨行书写"),
    ],
)
def test_where_the_file_cannot_be_edited_in_place_it_is_written_whole_and_she_is_told(manifest, why):
    raw = manifest.encode("utf-8")
    values = answers(recommendation="新的理由" * 15)
    saved = form.save(raw, "youth", FIELDS, values)
    assert saved.note is not None and "注释没能保留" in saved.note and why in saved.note
    assert saved.text.startswith(form.HEADER)
    same_manifest(saved, raw, values)


@pytest.mark.parametrize(
    "manifest",
    [
        "category: youth\napplicant: &a {name: 刘雨桐}\nunit: *a\n",  # anchors and aliases
        "category: youth\napplicant:\n  name：刘雨桐\n   team: x\n",  # not YAML
        "a: " + "[" * 5000 + "]" * 5000 + "\n",  # deeper than any manifest
        "x: " + "啊" * 400_000 + "\n",  # larger than the manifest loader reads
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n",
    ],
)
def test_a_file_that_cannot_be_read_is_replaced_only_when_she_says_so_and_never_crashes(manifest):
    raw = manifest.encode("utf-8")
    started = time.monotonic()
    with pytest.raises(form.Unreadable) as caught:
        form.save(raw, "youth", FIELDS, answers())
    assert "changju.yaml 无法读取" in str(caught.value)
    saved = form.save(raw, "youth", FIELDS, answers(), replace=True)
    assert "无法读取" in saved.note and load_yaml(saved.body, "changju.yaml").data["applicant"]["name"] == "刘雨桐"
    assert time.monotonic() - started < 10


def test_a_wrong_answer_is_named_and_nothing_is_built():
    with pytest.raises(form.FormError) as caught:
        form.save(INIT.encode("utf-8"), "youth", FIELDS, answers(applicant__hired_on="2020年13月"))
    assert caught.value.problems == ["入职日期：日期应为 年-月-日，如 2023-08-31"]


@pytest.mark.parametrize("example", sorted(p.name for p in (REPO / "examples").iterdir() if (p / "changju.yaml").is_file()))
def test_every_example_manifest_saves_in_place_to_the_same_manifest_as_the_full_rewrite(example):
    raw = (REPO / "examples" / example / "changju.yaml").read_bytes()
    category = load_yaml(raw, "changju.yaml").data.get("category", "youth")
    fields = form.fields_for(RULES.categories[category])
    tricky = {"unit.name": "北京#1: 实验室, {有限} 公司", "applicant.name": "O'Brien \"小明\"", "unit.paid_in_capital": "0",
              "applicant.hired_on": "2019-07-01", "applicant.contract.start": "2019-07-01", "applicant.contract.end": "",
              "applicant.contract.open_ended": "true", "applicant.equity.percent": "12.5", "applicant.nationality": "US",
              "recommendation": "第一段。\n第二段：yes"}
    values = {f.key: tricky.get(f.key, "") for f in fields}
    saved = form.save(raw, category, fields, values, {"applicant.name": "护照.pdf 第2页"})
    data = form.build_manifest(load_yaml(raw, "changju.yaml").data, category, fields, values)
    assert load_yaml(saved.body, "changju.yaml").data == load_yaml(form.manifest_text(data), "changju.yaml").data
    if saved.note is None:
        unchanged_lines(raw.decode("utf-8"), saved.body.decode("utf-8"), {k.rsplit(".", 1)[-1] for k in values} | {"unit", "applicant", "contract", "equity"})


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

ANSWER = st.one_of(st.just(""), st.text(min_size=1, max_size=40), st.sampled_from(["yes", "0o10", "1e3", "null", "- a", "a: b", "#x", "'q'", '"', "{}", "中国"]))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=ANSWER, unit=ANSWER, rec=ANSWER, nationality=ANSWER, start=st.sampled_from(["", "2021-03-01"]))
def test_whatever_she_types_the_file_reads_back_as_the_full_rewrite_or_the_answer_is_named(name, unit, rec, nationality, start):
    raw = (AGENCY_NOTE + INIT).encode("utf-8")
    values = answers(applicant__name=name, unit__name=unit, recommendation=rec, applicant__nationality=nationality,
                     applicant__contract__start=start)
    try:
        saved = form.save(raw, "youth", FIELDS, values, {"applicant.name": "身份证.pdf 第1页"})
    except form.FormError:
        return  # named on the form, nothing written
    assert load_yaml(saved.body, "changju.yaml").data == rewrite(raw, values)
    assert yamledit.same(load_yaml(saved.body, "changju.yaml").data, form.build_manifest(load_yaml(raw, "c").data, "youth", FIELDS, values))
    if saved.note is None:
        assert saved.body.decode("utf-8").startswith(AGENCY_NOTE)


def test_a_recommendation_written_as_a_folded_block_is_not_changed_by_saving_the_form_unchanged():
    """The text box strips the block's final newline: saving what she did not touch keeps the block
    and every comment (it went to the full rewrite, and lost them, on every save)."""
    reason = "申报人长期从事胶原蛋白医用材料研发，" * 4
    raw = ("# 中介备注：推荐理由经单位审定\ncategory: youth\nrecommendation: >  # 单位意见\n  " + reason + "\n"
           "applicant:\n  name: 刘雨桐  # 读自 身份证.pdf 第1页\n").encode("utf-8")
    saved = form.save(raw, "youth", FIELDS, answers(recommendation=reason), {})
    assert saved.note is None, saved.note
    text = saved.body.decode("utf-8")
    assert text.startswith("# 中介备注：推荐理由经单位审定\ncategory: youth\nrecommendation: >  # 单位意见\n  " + reason + "\n")
    assert "  name: 刘雨桐  # 读自 身份证.pdf 第1页\n" in text


@pytest.mark.parametrize("winerror, said", [(32, "正被其他程序打开"), (None, "无法保存 changju.yaml")])
def test_a_changju_yaml_another_program_holds_open_is_said_for_her_and_left_as_it_was(tmp_path, monkeypatch, winerror, said):
    """Windows refuses to replace a file WPS or an editor holds open (ERROR_SHARING_VIOLATION 32):
    保存 says so in her words and leaves the file and the folder as they were (no temporary file)."""
    import os

    from changju_check.desk import server

    (tmp_path / "changju.yaml").write_text("category: youth\n", encoding="utf-8")

    def refuse(src, dst):
        err = PermissionError(13, "The process cannot access the file because it is being used by another process", str(dst))
        if winerror is not None:
            err.winerror = winerror
        raise err

    monkeypatch.setattr(os, "replace", refuse)
    problem = server.write_manifest(tmp_path, b"category: research\n")
    assert problem is not None and said in problem
    assert sorted(p.name for p in tmp_path.iterdir()) == ["changju.yaml"]
    assert (tmp_path / "changju.yaml").read_text(encoding="utf-8") == "category: youth\n"
    monkeypatch.undo()
    assert server.write_manifest(tmp_path, b"category: research\n") is None
    assert (tmp_path / "changju.yaml").read_text(encoding="utf-8") == "category: research\n"


def test_a_new_changju_yaml_says_where_each_confirmed_value_was_read():
    """No changju.yaml yet: the file 保存 writes carries init's `# 读自 文件 第N页` beside every value
    she confirmed from a page, as an edited file does (it had none: the full rewrite has no comments)."""
    values = answers(applicant__contract__start="2021-03-01", applicant__contract__end="2024-02-29",
                     recommendation="理由" * 30)
    saved = form.save(None, "youth", FIELDS, values, {"applicant.name": "IMG_20230812_101602.jpg 第1页",
                                                      "applicant.contract.end": "扫描件005.pdf 第2页"})
    text = saved.body.decode("utf-8")
    assert saved.note is None and text.startswith(form.HEADER)
    assert "  name: 刘雨桐  # 读自 IMG_20230812_101602.jpg 第1页\n" in text
    assert "    end: 2024-02-29  # 读自 扫描件005.pdf 第2页\n" in text and "    start: 2021-03-01\n" in text
    assert load_yaml(saved.body, "changju.yaml").data == load_yaml(form.manifest_text(
        form.build_manifest(None, "youth", FIELDS, values)), "changju.yaml").data

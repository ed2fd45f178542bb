"""The example packets in examples/: their exact findings, stable output, and regeneration.

EXPECTED is a snapshot written out by hand and checked against the guide (examples/README.md
says why each finding is there): every finding as (code, severity, material, file). A complete
packet has none and exits 0; a flawed one exits 1. The reference date comes from each manifest
(as_of: 2023-08-31), so nothing here depends on the calendar.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from changju_check.engine.run import CheckOptions, check_packet
from changju_check.render import render

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SCRIPT = EXAMPLES / "make_examples.py"

E, W = "error", "warning"
P = "2-申报人材料"

EXPECTED: dict[str, list[tuple[str, str, str | None, str | None]]] = {
    "research-complete": [],
    "research-flawed": [
        # 1.(1) 2020、2021、2022 年度《财务审计报告》: 02-2021年度… is not there
        ("CJ102", E, "audit_report", None),
        # 2.(12) 须与系统填报学术论文顺序保持一致: the files are numbered the other way round
        ("CJ207", E, "personal_papers", f"{P}/论文/01-五轴机床热误差建模与补偿研究.pdf"),
        ("CJ207", E, "personal_papers", f"{P}/论文/02-基于数字孪生的数控产线调度优化.pdf"),
        # 诚信声明.pdf is either statement; it is assigned to neither, so both * items are missing
        ("CJ104", W, None, "诚信声明.pdf"),
        ("CJ101", E, "unit_integrity_statement", None),
        ("CJ101", E, "personal_integrity_statement", None),
    ],
    "startup-complete": [],
    "startup-flawed": [
        # 2.(4) 证明申报人为第一大自然人股东，且占股权不低于 30%: 25 %, and another holds 40 %
        ("CJ203", E, "equity_proof", None),
        ("CJ204", E, "equity_proof", None),
        # the bank receipt under the scanner's name: unrecognisable, so 1.(2)* is missing
        ("CJ103", W, None, "扫描件001.pdf"),
        ("CJ101", E, "paid_in_capital", None),
    ],
    "service-complete": [],
    "service-flawed": [
        # 2.(5) 合同期限不低于 2 年: 2022-09-01 to 2024-07-31
        ("CJ201", E, "labor_contract", None),
        # 附件4 第5条 推荐理由 要求50-200字: 38
        ("CJ205", E, None, None),
        # the degree verification PDF is cut short
        ("CJ301", E, None, f"{P}/学位网学位认证报告.pdf"),
        # ... so 2.(3)* 学历、学位认证书 counts as missing: a reviewer cannot open it
        ("CJ101", E, "degree_certification", None),
    ],
    "finance-complete": [],
    "finance-flawed": [
        # 2.(5) 合同剩余有效期在半年以上: ends 2023-12-31, four months after as_of
        ("CJ202", E, "labor_contract", None),
        # a 0-byte IIT record
        ("CJ303", E, None, f"{P}/个税2021-2022.pdf"),
        # ... so 2.(7)* 个人所得税纳税记录 counts as missing
        ("CJ101", E, "iit_record", None),
        # 2.(12) 包括论文发表刊物封面页、目录页、论文内容页、署名页: 2 pages
        ("CJ211", W, "personal_papers", f"{P}/论文/02-昌平区科技企业投贷联动实践与思考.pdf"),
    ],
    "management-complete": [],
    "management-flawed": [
        # 2.(10) 近三年承担项目: a 2018 project, in the system (entries) and in the file name
        ("CJ210", W, "personal_projects", None),
        ("CJ210", W, "personal_projects", f"{P}/项目/02-2018年医疗器械GMP质量体系升级改造-验收证明.pdf"),
        # an iPhone photo in HEIC
        ("CJ304", E, None, f"{P}/任命书.HEIC"),
        # ... so 2.(5)* 现任职务证明 (one of three) counts as missing
        ("CJ101", E, "current_position_proof", None),
        # 2.(13)* 《个人诚信声明》
        ("CJ101", E, "personal_integrity_statement", None),
    ],
    "youth-complete": [],
    "youth-flawed": [
        # 20 % equity: the contract is required and given, but its dates are not in changju.yaml
        ("CJ208", W, "labor_contract", None),
        # 2.(3)* 学历、学位认证书
        ("CJ101", E, "degree_certification", None),
        # 2.(11) in the system's order: the first project's file has no order number, so it comes
        # after "02-…": each of the two files stands in the other's place (an order known to be wrong)
        ("CJ207", E, "personal_projects", "2-申报人材料/项目/02-胶原蛋白基医用敷料临床前研究-任务书.pdf"),
        ("CJ207", E, "personal_projects", "2-申报人材料/项目/重组胶原蛋白敷料中试开发-任务书.pdf"),
    ],
    "forum-complete": [],
    "forum-flawed": [
        # 3* 提供论坛过程照片，不超过15张: 17
        ("CJ206", E, "forum_photos", None),
        # 6* 在职证明 三选二: only the unit's 在职证明
        ("CJ101", E, "expert_employment_proof", None),
    ],
    "registration-complete": [],
}

# Files named on purpose so that the checker cannot tell what they are.
UNRECOGNISED = {("research-flawed", "诚信声明.pdf"), ("startup-flawed", "扫描件001.pdf")}


def _key(finding: tuple) -> tuple:
    return tuple("" if x is None else x for x in finding)


def _found(report) -> list[tuple]:
    return sorted(((f.code, f.severity, f.material, f.file) for f in report.findings), key=_key)


def _load_generator():
    """examples/make_examples.py as a module, without leaving __pycache__ in examples/."""
    spec = importlib.util.spec_from_file_location("make_examples", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    before = sys.dont_write_bytecode
    sys.dont_write_bytecode = True
    sys.modules[spec.name] = module  # dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = before
    return module


@pytest.fixture(scope="module")
def generator():
    return _load_generator()


@pytest.fixture(scope="module")
def specs(generator):
    return {p.name: p for p in (make() for make in generator.PACKETS)}


# The example documents are placeholders: a real document's title and a line or two (a name, a
# validity), not the whole form. Their text layers are read in every check, so the reader says
# which fields of the real layout it did not find (CJ510, info): exactly these files.
PLACEHOLDERS: dict[str, list[str]] = {
    "finance-complete": [f"{P}/身份证.pdf", f"{P}/个税2021-2022.pdf", f"{P}/社保缴费记录.pdf"],
    "finance-flawed": [f"{P}/身份证.pdf", f"{P}/社保缴费记录.pdf"],
    "forum-complete": ["5-昌聚专家身份证.pdf", "6-社保缴费记录.pdf"],
    "forum-flawed": ["5-昌聚专家身份证.pdf"],
    "management-complete": [f"{P}/学位在线验证报告.pdf", f"{P}/学信网学历认证报告.pdf", f"{P}/个税2021-2022.pdf"],
    "management-flawed": [f"{P}/学位在线验证报告.pdf", f"{P}/学信网学历认证报告.pdf", f"{P}/个税2021-2022.pdf"],
    "registration-complete": ["1-营业执照副本.pdf", "2-高新技术企业证书.pdf", "3-联系人身份证.pdf", "4-2022年度完税证明.pdf"],
    "research-complete": [f"{P}/留学服务中心学历学位认证书.pdf", f"{P}/身份证.pdf", f"{P}/个税2021-2022.pdf", f"{P}/社保缴费记录.pdf"],
    "research-flawed": [f"{P}/留学服务中心学历学位认证书.pdf", f"{P}/身份证.pdf", f"{P}/个税2021-2022.pdf", f"{P}/社保缴费记录.pdf"],
    "service-complete": [f"{P}/学信网学历认证报告.pdf", f"{P}/学位网学位认证报告.pdf", f"{P}/个税2021-2022.pdf", f"{P}/社保缴费记录.pdf"],
    "service-flawed": [f"{P}/学信网学历认证报告.pdf", f"{P}/个税2021-2022.pdf", f"{P}/社保缴费记录.pdf"],
    "startup-complete": [f"{P}/学位在线验证报告.pdf", f"{P}/学信网学历认证报告.pdf", f"{P}/身份证.pdf", f"{P}/个税2021-2022.pdf", f"{P}/团队成员社保缴费记录.pdf"],
    "startup-flawed": [f"{P}/学位在线验证报告.pdf", f"{P}/学信网学历认证报告.pdf", f"{P}/身份证.pdf", f"{P}/个税2021-2022.pdf", f"{P}/团队成员社保缴费记录.pdf"],
    "youth-complete": [f"{P}/学位在线验证报告.pdf", f"{P}/学信网学历认证报告.pdf", f"{P}/身份证.pdf", f"{P}/个税2021-2022.pdf", f"{P}/社保缴费记录.pdf"],
    "youth-flawed": [f"{P}/学位在线验证报告.pdf", f"{P}/身份证.pdf", f"{P}/个税2021-2022.pdf", f"{P}/社保缴费记录.pdf"],
}


def _packet_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# ----------------------------------------------------------------------------- the snapshot


def test_every_example_has_a_snapshot(specs):
    on_disk = {p.name for p in EXAMPLES.iterdir() if (p / "changju.yaml").is_file()}
    assert on_disk == set(EXPECTED) == set(specs)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_findings_are_exactly_the_snapshot(name):
    report = check_packet(EXAMPLES / name, CheckOptions())
    assert report.fatal is None
    assert report.as_of.isoformat() == "2023-08-31"  # from the manifest
    found = _found(report)
    assert [f for f in found if f[0] != "CJ510"] == sorted(EXPECTED[name], key=_key)
    assert sorted(f[3] for f in found if f[0] == "CJ510") == sorted(PLACEHOLDERS.get(name, []))
    assert report.exit_code == (0 if name.endswith("-complete") else 1)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_json_is_byte_identical_across_runs(name):
    first = render(check_packet(EXAMPLES / name, CheckOptions()), "json")
    second = render(check_packet(EXAMPLES / name, CheckOptions()), "json")
    assert first == second


def test_flawed_packets_cover_the_codes_they_are_meant_to():
    codes = {f[0] for name, found in EXPECTED.items() if name.endswith("-flawed") for f in found}
    assert codes == {
        "CJ101", "CJ102", "CJ103", "CJ104", "CJ201", "CJ202", "CJ203", "CJ204", "CJ205",
        "CJ206", "CJ207", "CJ208", "CJ210", "CJ211", "CJ301", "CJ303", "CJ304",
    }


# ----------------------------------------------------------------------------- recognition


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_file_is_recognised_as_what_it_is(name, specs):
    """Each file lands in the checklist item of the material it really is (materials[].files)."""
    from changju_check.recognise.names import Recogniser
    from changju_check.rulebook.load import load_rules

    packet = specs[name]
    report = check_packet(EXAMPLES / name, CheckOptions())
    item_of = {path: m for m in report.materials for path in m.files}
    rules = load_rules(None)
    recogniser = Recogniser(rules.catalogue, rules.categories[packet.category])
    for doc in packet.docs:
        if (name, doc.path) in UNRECOGNISED:
            assert doc.path not in item_of, doc.path
        elif doc.material == "application_form":
            assert recogniser.match_name(doc.path).material == "application_form"
            assert doc.path not in item_of
        else:
            assert doc.path in item_of, f"{doc.path} was not recognised"
            assert doc.material in item_of[doc.path].accepted, (doc.path, item_of[doc.path].id)


def test_every_packet_but_registration_carries_the_application_form(specs, generator):
    for name, packet in specs.items():
        forms = [d for d in packet.docs if d.material == "application_form"]
        if name == "registration-complete":
            assert not forms  # registration is not an application
            continue
        assert [d.path for d in forms] == ["申报书.pdf"]
        reader = PdfReader(EXAMPLES / name / "申报书.pdf")
        assert 2 <= len(reader.pages) <= 3
        cover = reader.pages[0].extract_text()
        assert "申报书" in cover and generator.CATEGORY_TITLES[packet.category] in cover  # the cover names the category


# ----------------------------------------------------------------------------- the files


def _pdfs():
    for root in sorted(EXAMPLES.iterdir()):
        if (root / "changju.yaml").is_file():
            for path in sorted(root.rglob("*.pdf")):
                yield root.name, path


def test_every_pdf_page_has_a_unique_marker(specs):
    marker = re.compile(r"MARKER (\S+) (\S+) (\S+) p(\d+)")
    seen: dict[str, str] = {}
    for name, path in _pdfs():
        rel = path.relative_to(EXAMPLES / name).as_posix()
        kind = specs[name].doc(rel).kind
        if kind in ("empty", "truncated"):
            continue
        for number, page in enumerate(PdfReader(path).pages, start=1):
            found = marker.findall(page.extract_text())
            assert len(found) == 1, (rel, number, found)
            packet, _item, _material, page_no = found[0]
            assert packet == name and int(page_no) == number, (rel, found)
            text = " ".join(("MARKER",) + found[0][:3] + (f"p{page_no}",))
            assert text not in seen, (rel, seen.get(text))
            seen[text] = f"{name}/{rel}"
            assert re.search(r"[\u4e00-\u9fff]", page.extract_text()), (rel, number)  # a Chinese heading


def test_page_counts_are_realistic(specs):
    for name, path in _pdfs():
        rel = path.relative_to(EXAMPLES / name).as_posix()
        doc = specs[name].doc(rel)
        if doc.kind in ("empty", "truncated"):
            continue
        pages = len(PdfReader(path).pages)
        if doc.material == "audit_report":
            assert 3 <= pages <= 4, rel
        elif doc.material == "forum_audit_report":
            assert pages == 4, rel
        elif doc.material == "personal_papers":
            short = (name, rel) == ("finance-flawed", f"{P}/论文/02-昌平区科技企业投贷联动实践与思考.pdf")
            assert pages == 2 if short else pages >= 3, rel
        elif doc.material == "labor_contract":
            assert pages == 2, rel
        else:
            assert 1 <= pages <= 3, rel


def test_the_broken_files_are_broken_the_intended_way():
    assert (EXAMPLES / "finance-flawed" / P / "个税2021-2022.pdf").stat().st_size == 0
    heic = (EXAMPLES / "management-flawed" / P / "任命书.HEIC").read_bytes()
    assert heic[4:12] == b"ftypheic"
    cut = (EXAMPLES / "service-flawed" / P / "学位网学位认证报告.pdf").read_bytes()
    assert cut.startswith(b"%PDF-") and b"%%EOF" not in cut
    photos = sorted((EXAMPLES / "forum-flawed" / "3-现场照片").glob("*.jpg"))
    assert len(photos) == 17 and all(p.read_bytes()[:3] == b"\xff\xd8\xff" for p in photos)
    assert len(list((EXAMPLES / "forum-complete" / "3-现场照片").glob("*.jpg"))) == 12


def test_examples_stay_small():
    total = sum(p.stat().st_size for p in EXAMPLES.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    assert total < 2 * 1024 * 1024


# ----------------------------------------------------------------------------- regeneration


def test_make_examples_regenerates_byte_identical_files(tmp_path):
    subprocess.run(
        [sys.executable, "-B", str(SCRIPT), "--out", str(tmp_path)], check=True, capture_output=True, cwd=tmp_path
    )
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(EXPECTED)
    for name in names:
        fresh = _packet_files(tmp_path / name)
        committed = _packet_files(EXAMPLES / name)
        assert sorted(fresh) == sorted(committed), name
        changed = [rel for rel in fresh if fresh[rel] != committed[rel]]
        assert not changed, f"{name}: re-run examples/make_examples.py; differs: {changed}"


def test_make_examples_only_replaces_its_own_folders(tmp_path):
    keep = tmp_path / "notes.txt"
    keep.write_text("mine", encoding="utf-8")
    stale = tmp_path / "youth-complete" / "stale.pdf"
    stale.parent.mkdir()
    stale.write_bytes(b"old")
    subprocess.run([sys.executable, "-B", str(SCRIPT), "--out", str(tmp_path)], check=True, capture_output=True)
    assert keep.read_text(encoding="utf-8") == "mine"
    assert not stale.exists()

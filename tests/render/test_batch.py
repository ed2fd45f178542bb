from changju_check.render import render
from changju_check.render import render_batch
from changju_check.render.markdown import batch_markdown
from changju_check.render.text import batch_text

from .helpers import ANSI, cjk, without_user_text


def test_text_batch_ends_with_summary_table_and_line(reports):
    out = render(reports, "text", "zh", width=120)
    tail = out[out.index("汇总"):]
    for name in ("材料包", "类别", "错误", "警告", "结论"):
        assert name in tail
    # a packet that passed says the stage it reached: li has no 申报书 yet, so it can be uploaded, not bound
    assert "packets/zhang" in tail and "✗ 不通过" in tail and "✓ 可上传" in tail and "✗ 无法检查" in tail
    assert out.rstrip("\n").splitlines()[-1] == "✗ 3 个材料包：1 个通过，1 个不通过，1 个无法检查；共 3 个错误，2 个警告"
    # details: every packet's own summary line is there too
    assert "✗ 2 个错误，2 个警告 — 不通过" in out and "✓ 0 个错误，0 个警告 — 通过" in out
    assert not ANSI.search(out)


def test_text_batch_without_details(reports):
    out = batch_text(reports, "en", details=False, width=160)
    assert out.startswith("Summary\n")
    assert "Category" in out and "Technology startup" in out
    assert "Checklist" not in out and "No." not in out


def test_text_batch_english(reports):
    out = render(reports, "text", "en", width=400)
    for r in reports:
        out = without_user_text(out, r)
    assert not cjk(out)


def test_markdown_batch(reports):
    out = batch_markdown(reports, "en")
    assert out.startswith("## changju: Summary\n")
    assert "| Packet | Category | Verdict | Errors | Warnings | Ready to upload | Ready to bind | Main reasons |" in out
    assert "| packets/zhang | Technology startup | ✗ failed | 2 | 2 | no | no | " in out
    assert "| packets/li | Young talent | ✓ passed | 0 | 0 | yes | no | no application form yet" in out
    assert "**✗ 3 packets: 1 passed, 1 failed, 1 unusable; 3 errors, 2 warnings in all**" in out
    assert "### changju: packets/zhang" in out  # each packet one level down
    assert "### changju" not in batch_markdown(reports, "en", details=False)


def test_render_batch_entry_point(reports):
    assert render_batch(reports, "markdown", "zh") == render(reports, "markdown", "zh")
    assert render_batch(tuple(reports), "json", "en") == render(list(reports), "json", "en")


def test_all_passed_line(ok_report):
    assert render([ok_report], "text", "en").rstrip().endswith(
        "✓ 1 packet: 1 passed, 0 failed, 0 unusable; 0 errors, 0 warnings in all"
    )

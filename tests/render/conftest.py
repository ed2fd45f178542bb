"""Reports built by hand: the renderers' only input, so their tests need no packet on disk."""

from __future__ import annotations

from datetime import date

import pytest

from changju_check.report import Finding, MaterialResult, Msg, Report

# File names that carry every character the formats must escape.
HOSTILE_FILE = "9-其他|说明, 附件:100%.pdf"


def material(id, number, title, title_en, status, files=(), section="person", waived=None, required=True):
    return MaterialResult(
        id=id,
        section=section,
        number=number,
        title=title,
        title_en=title_en,
        required=required,
        required_now=status in ("present", "missing", "waived"),
        status=status,
        files=tuple(files),
        waived=waived,
    )


def flawed_report(strict: bool = False) -> Report:
    """Every material status and every shape of finding (file/material/line, waived)."""
    return Report(
        packet="packets/zhang",
        category="startup",
        category_title="科技创业类",
        category_title_en="Technology startup",
        as_of=date(2023, 6, 30),
        manifest="changju.yaml",
        strict=strict,
        materials=[
            material("business_licence", "1.(1)", "营业执照副本", "Business licence (copy)", "present",
                     ["1-营业执照.pdf"], section="unit"),
            material("audit_reports", "1.(4)", "近三年财务审计报告", "Audit reports of the last three years",
                     "present", ["审计报告2020.pdf", "审计报告2021.pdf", "审计报告2022.pdf", "审计报告2022-附注.pdf"],
                     section="unit"),
            material("contract", "2.(5)", "申报人与申报单位签订的最新工作合同",
                     "Latest employment contract between applicant and unit", "present", ["劳动合同.pdf"]),
            material("id_document", "2.(1)", "有效身份证件", "Valid identity document", "missing"),
            material("passport", "2.(2)", "护照", "Passport", "not_applicable", required=False),
            material("awards", "2.(9)", "获奖证书", "Award certificates", "optional_missing", required=False),
            material("tax_certificate", "1.(6)", "完税证明", "Tax payment certificate", "waived",
                     section="unit", waived="事业单位，无需完税证明"),
        ],
        findings=[
            Finding("CJ101", "error", Msg("缺少必要材料：有效身份证件", "Required material missing: valid identity document"),
                    material="id_document"),
            Finding("CJ201", "error", Msg("合同期限不足2年（2022-03-01 至 2023-12-31）",
                                          "Contract term shorter than 2 years (2022-03-01 to 2023-12-31)"),
                    material="contract", file="劳动合同.pdf", line=12),
            Finding("CJ103", "warning", Msg("文件无法对应任何材料：\n第二行 50%", "File matches no material:\nsecond line 50%"),
                    file=HOSTILE_FILE),
            Finding("CJ404", "warning", Msg("豁免条目未生效", "Waiver matches no finding"), line=30),
            Finding("CJ306", "info", Msg("PDF 有权限密码", "PDF has an owner password"),
                    material="audit_reports", file="审计报告2021.pdf"),
            Finding("CJ101", "error", Msg("缺少必要材料：完税证明", "Required material missing: tax payment certificate"),
                    material="tax_certificate", waived="事业单位，无需完税证明"),
        ],
    )


def passing_report() -> Report:
    return Report(
        packet="packets/li",
        category="youth",
        category_title="青年人才类",
        category_title_en="Young talent",
        as_of=date(2023, 6, 30),
        manifest="changju.yaml",
        materials=[
            material("contract", "2.(5)", "最新工作合同", "Latest employment contract", "present", ["劳动合同.pdf"]),
        ],
    )


def fatal_report() -> Report:
    return Report(
        packet="packets/wang",
        category="startup",
        category_title="科技创业类",
        category_title_en="Technology startup",
        as_of=date(2023, 6, 30),
        manifest="changju.yaml",
        fatal=Finding("CJ401", "error", Msg("清单文件无效：未知字段 foo（第3行）", "Manifest invalid: unknown key foo (line 3)"),
                      line=3),
    )


@pytest.fixture
def report() -> Report:
    return flawed_report()


@pytest.fixture
def ok_report() -> Report:
    return passing_report()


@pytest.fixture
def unusable_report() -> Report:
    return fatal_report()


@pytest.fixture
def reports() -> list[Report]:
    return [flawed_report(), passing_report(), fatal_report()]


@pytest.fixture(params=["zh", "en"])
def lang(request) -> str:
    return request.param

"""The site itself: every page in both languages and in the nav, links that resolve, and — where the
docs extra is installed — a strict build whose Chinese search index is cut into words."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
import yaml

from tests.docs.site import DOCS, REPO, hooks


def _nav_paths(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [p for n in node for p in _nav_paths(n)]
    if isinstance(node, dict):
        return [p for v in node.values() for p in _nav_paths(v)]
    return []


class _Loader(yaml.SafeLoader):
    pass


# mkdocs.yml names a Python function for the slugs (!!python/object/apply): read it as data
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def _config() -> dict:
    return yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)


def _written() -> set[str]:
    return {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md") if not str(p.relative_to(DOCS)).startswith("reference/")}


def test_every_written_page_has_its_english_page_beside_it_and_back():
    written = _written()
    chinese = {p for p in written if not p.endswith(".en.md")}
    english = {p for p in written if p.endswith(".en.md")}
    assert chinese and {p[: -len(".en.md")] + ".md" for p in english} == chinese


def test_every_page_is_in_the_nav_and_every_nav_entry_is_a_page():
    nav = set(_nav_paths(_config()["nav"]))
    pages = {p for p in _written() if not p.endswith(".en.md")} | set(hooks.pages("zh"))
    categories = {p for p in pages if p.startswith("reference/checklists/") and not p.endswith("index.md")}
    assert nav | categories == pages  # the categories' pages are put in the nav by hooks.on_config


def test_chinese_search_is_configured():
    config = _config()
    search = next(p["search"] for p in config["plugins"] if isinstance(p, dict) and "search" in p)
    assert "\\u200b" in search["separator"]  # jieba joins the words it cuts with U+200B
    assert "jieba" in (REPO / "pyproject.toml").read_text(encoding="utf-8")
    i18n = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
    assert [(lang["locale"], lang.get("default", False)) for lang in i18n["languages"]] == [("zh", True), ("en", False)]


LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_the_readme_is_a_landing_page_whose_links_resolve():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 200
    for target in LINK.findall(readme):
        if target.startswith(("http://", "https://", "#")):
            continue
        assert (REPO / target.split("#")[0]).exists(), target


def test_the_readme_has_a_path_for_each_kind_of_user():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "changju app" in readme  # 人事专员
    assert "--batch" in readme and "--summary" in readme  # 申报代理机构
    assert ".pre-commit-config.yaml" in readme and "runs-on:" in readme  # CI


def test_the_publishing_workflow_builds_strictly_and_deploys_to_pages():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "docs.yml").read_text(encoding="utf-8"))
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    assert any("mkdocs build --strict" in s.get("run", "") for s in steps)
    uses = [s["uses"] for s in steps if "uses" in s]
    assert all(re.fullmatch(r"[\w-]+/[\w-]+@v\d+", u) for u in uses), uses  # pinned by major version
    assert any(u.startswith("actions/deploy-pages@") for u in uses)


def test_the_site_builds_strictly_in_both_languages_with_a_chinese_search_index(tmp_path):
    pytest.importorskip("mkdocs")
    pytest.importorskip("material")
    pytest.importorskip("mkdocs_static_i18n")
    pytest.importorskip("jieba")
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(site)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    codes = (site / "reference" / "codes" / "index.html").read_text(encoding="utf-8")
    assert 'id="cj101"' in codes and "缺少必要材料" in codes
    assert (site / "en" / "reference" / "checklists" / "youth" / "index.html").is_file()
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert "zh" in index["config"]["lang"]
    manifest = next(d for d in index["docs"] if d["location"].startswith("guide/manifest/"))
    assert "\u200b" in manifest["text"]  # cut into words by jieba: 清单\u200b文件 …


def _nav_titles(node) -> list[str]:
    if isinstance(node, list):
        return [t for n in node for t in _nav_titles(n)]
    if isinstance(node, dict):
        return [t for k, v in node.items() for t in [k, *_nav_titles(v)]]
    return []


def test_every_title_of_the_nav_has_its_english_title():
    config = _config()
    i18n = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
    english = next(lang for lang in i18n["languages"] if lang["locale"] == "en")["nav_translations"]
    titles = _nav_titles(config["nav"])
    assert titles and set(titles) == set(english)

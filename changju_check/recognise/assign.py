"""Which file is which material: the manifest's explicit mapping, then names, then text layers.

Produces an `Assignment` (material id -> files, plus the files that match nothing or several
materials) and the findings of that step: CJ402/CJ403 for the mapping, CJ103/CJ104 for names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from changju_check.report import Finding
from changju_check.rulebook.codes import finding


@dataclass
class Assignment:
    assigned: dict[str, list[str]] = field(default_factory=dict)  # material id -> packet paths
    explicit: set[str] = field(default_factory=set)  # paths the manifest maps
    unmatched: list[str] = field(default_factory=list)
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)  # path -> equally good materials
    findings: list[Finding] = field(default_factory=list)

    def add(self, material: str, path: str) -> None:
        self.assigned.setdefault(material, []).append(path)

    def ordered(self, entry_titles: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
        """Each material's files in natural order: leading number, then the order of the system's
        entries (`entry_titles`: material id -> folded titles), then name."""
        from changju_check.recognise.order import natural_order

        titles = entry_titles or {}
        return {m: natural_order(paths, titles.get(m)) for m, paths in self.assigned.items()}


def entry_titles(manifest, category) -> dict[str, list[str]]:
    """Material id -> the folded titles of the system entries its files must follow."""
    from changju_check.recognise.names import fold

    titles: dict[str, list[str]] = {}
    for _, item in category.items():
        for c in item.constraints:
            if c.type == "ordered":
                entries = getattr(manifest.entries, c.entries, None) if manifest.entries else None
                if entries:
                    for m in item.all_materials():
                        titles[m] = ["".join(fold(e.title).split()) for e in entries]
    return titles


def assign_explicit(packet, manifest, category) -> Assignment:
    """The manifest's `materials`: an item id or material id -> a path, list or glob."""
    result = Assignment()
    items_by_key = {item.key: item for _, item in category.items()}
    known_materials = set(category.material_ids()) | {"application_form"}
    for key, patterns in (manifest.materials or {}).items():
        line = manifest.line_of("materials", key)
        if key in items_by_key:
            material = items_by_key[key].active_case(manifest.fact).of[0]
        elif key in known_materials:
            material = key
        else:
            result.findings.append(
                finding(
                    "CJ402",
                    f"changju.yaml 的 materials 中的“{key}”不是{category.title}的材料编号",
                    f"`{key}` under materials in changju.yaml is not a material id of {category.key}",
                    line=line,
                )
            )
            continue
        for pattern in patterns:
            files, problem = packet.resolve(pattern)
            if problem is not None:
                result.findings.append(problem)
                continue
            if not files:
                result.findings.append(
                    finding(
                        "CJ403",
                        f"materials.{key} 的路径“{pattern}”没有匹配到材料包中的文件",
                        f"materials.{key}: '{pattern}' matches no file in the packet",
                        material=key,
                        line=line,
                    )
                )
            for pf in files:
                result.add(material, pf.path)
                result.explicit.add(pf.path)
    return result


def assign_by_name(packet, recogniser, result: Assignment) -> None:
    for pf in packet.files:
        if pf.path in result.explicit:
            continue
        match = recogniser.match_name(pf.path)
        if match.material:
            result.add(match.material, pf.path)
        elif match.materials:
            result.ambiguous[pf.path] = match.materials
        else:
            result.unmatched.append(pf.path)


def assign_by_text(recogniser, result: Assignment, texts: dict[str, str]) -> None:
    """Files whose names say nothing, matched on their first page's text layer."""
    for path in list(result.unmatched):
        text = texts.get(path)
        if not text:
            continue
        match = recogniser.match_text(text, path)
        if match.material:
            result.add(match.material, path)
            result.unmatched.remove(path)


def recognition_findings(rules, category, recogniser, result: Assignment, infos) -> list[Finding]:
    """CJ103 for files that match no material, CJ104 for files that match several."""
    found: list[Finding] = []
    for path in result.unmatched:
        info = infos.get(path)
        if info is not None and info.kind not in ("pdf", "jpeg", "png"):
            continue  # CJ304 already names it
        other = recogniser.outside_category(path)
        if other:
            material = rules.catalogue.materials[other]
            found.append(
                finding(
                    "CJ103",
                    f"看起来是“{material.title}”，但{category.title}不要求该材料",
                    f"looks like '{material.title_en}', which {category.key} does not ask for",
                    file=path,
                )
            )
        else:
            found.append(
                finding(
                    "CJ103",
                    "无法对应到任何材料，请按材料名称重命名或在 materials 中指定",
                    "matches no material; rename it after its material or map it under `materials`",
                    file=path,
                )
            )
    for path, materials in result.ambiguous.items():
        names_zh = "、".join(rules.catalogue.materials[m].title for m in materials)
        names_en = "; ".join(rules.catalogue.materials[m].title_en for m in materials)
        found.append(
            finding("CJ104", f"同时对应多项材料：{names_zh}", f"matches several materials: {names_en}", file=path)
        )
    return found

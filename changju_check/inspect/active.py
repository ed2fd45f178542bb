"""Active content in a PDF: what a full PDF reader would run, open or send, found without running it.

A scan or an exported form has pages; some files also carry behaviour: JavaScript (on open, on a
page, in a form field, in the document's name tree), actions that start a program (/Launch),
open another file (/GoToR, /GoToE), post or import form data (/SubmitForm, /ImportData), play
media, an XFA form (whose template holds scripts), and embedded files (a paper-clip annotation,
the document's /EmbeddedFiles). `changju bundle` copies pages only (see bundle/active.py, which
takes its lists from here); `check` says which of these a file has (CJ309).

Only the document catalogue, the pages' dictionaries, their annotations and the form's fields
are looked at — dictionaries, never a stream's content — within a fixed budget of objects, so a
hostile file cannot make this slow. A plain hyperlink (/URI) is ordinary in downloaded documents
and is not reported here (the book drops it all the same).
"""

from __future__ import annotations

from typing import Any, Iterable

# action types (/S) a reader would run, open or send
SCRIPT_ACTIONS = frozenset({"/JavaScript"})
LAUNCH_ACTIONS = frozenset({"/Launch"})
FORM_ACTIONS = frozenset({"/SubmitForm", "/ImportData"})
REMOTE_ACTIONS = frozenset({"/GoToR", "/GoToE"})
MEDIA_ACTIONS = frozenset({"/Rendition", "/Movie", "/Sound", "/RichMediaExecute", "/GoTo3DView"})
ACTIVE_ACTIONS = SCRIPT_ACTIONS | LAUNCH_ACTIONS | FORM_ACTIONS | REMOTE_ACTIONS | MEDIA_ACTIONS
# annotation subtypes that are behaviour, not drawing: attachments, media, 3D
ATTACHMENT_ANNOTS = frozenset({"/FileAttachment"})
MEDIA_ANNOTS = frozenset({"/Screen", "/Movie", "/Sound", "/RichMedia", "/3D"})

# the kinds reported, in this order, with their words
KINDS = ("javascript", "launch", "form", "remote", "media", "xfa", "attachment")
KIND_WORDS = {
    "javascript": ("JavaScript 脚本", "JavaScript"),
    "launch": ("启动程序的动作", "an action that starts a program"),
    "form": ("提交或导入表单数据的动作", "an action that submits or imports form data"),
    "remote": ("打开其他文件的动作", "an action that opens another file"),
    "media": ("多媒体动作", "multimedia actions"),
    "xfa": ("XFA 表单（可含脚本）", "an XFA form (which can hold scripts)"),
    "attachment": ("嵌入的附件", "embedded files"),
}

BUDGET = 20_000  # dictionaries visited at most per file


class _Walk:
    def __init__(self) -> None:
        self.found: set[str] = set()
        self.left = BUDGET
        self.seen: set[tuple[int, int]] = set()

    def resolve(self, obj: Any) -> Any:
        """The object behind a reference, or None when it was seen already or the budget is spent."""
        if obj is None or self.left <= 0:
            return None
        ref = getattr(obj, "idnum", None)
        if ref is not None:
            key = (ref, getattr(obj, "generation", 0))
            if key in self.seen:
                return None
            self.seen.add(key)
            obj = obj.get_object()
        self.left -= 1
        return obj

    def action(self, obj: Any) -> None:
        """An action dictionary and its /Next chain (a dictionary or an array of them)."""
        todo = [obj]
        while todo and self.left > 0:
            act = self.resolve(todo.pop())
            if isinstance(act, list):
                todo.extend(act)
                continue
            if not hasattr(act, "get"):
                continue
            kind = act.get("/S")
            if kind in SCRIPT_ACTIONS or "/JS" in act:
                self.found.add("javascript")
            elif kind in LAUNCH_ACTIONS:
                self.found.add("launch")
            elif kind in FORM_ACTIONS:
                self.found.add("form")
            elif kind in REMOTE_ACTIONS:
                self.found.add("remote")
            elif kind in MEDIA_ACTIONS:
                self.found.add("media")
            nxt = act.get("/Next")
            if nxt is not None:
                todo.append(nxt)

    def additional(self, holder: Any) -> None:
        """A dictionary's /AA (additional actions: on open, close, keystroke, …) and /A."""
        aa = self.resolve(holder.get("/AA"))
        if hasattr(aa, "values"):
            for act in list(aa.values()):
                self.action(act)
        if "/A" in holder:
            self.action(holder.get("/A"))

    def name_tree(self, node: Any) -> bool:
        """Whether a name tree has any entry."""
        todo = [node]
        while todo and self.left > 0:
            n = self.resolve(todo.pop())
            if not hasattr(n, "get"):
                continue
            names = self.resolve(n.get("/Names"))
            if isinstance(names, list) and names:
                return True
            kids = self.resolve(n.get("/Kids"))
            if isinstance(kids, list):
                todo.extend(kids)
        return False

    def fields(self, fields: Any) -> None:
        todo = [fields]
        while todo and self.left > 0:
            f = self.resolve(todo.pop())
            if isinstance(f, list):
                todo.extend(f)
            elif hasattr(f, "get"):
                self.additional(f)
                if "/Kids" in f:
                    todo.append(f.get("/Kids"))

    def annotations(self, annots: Any) -> None:
        annots = self.resolve(annots)
        if not isinstance(annots, list):
            return
        for a in annots:
            a = self.resolve(a)
            if not hasattr(a, "get"):
                continue
            subtype = a.get("/Subtype")
            if subtype in ATTACHMENT_ANNOTS:
                self.found.add("attachment")
            elif subtype in MEDIA_ANNOTS:
                self.found.add("media")
            self.additional(a)


def active_content(root: Any, pages: Iterable[Any]) -> tuple[str, ...]:
    """The kinds of active content (of KINDS, in that order) in a PDF, from its catalogue (the
    trailer's /Root, a pypdf dictionary) and its page dictionaries. Never raises: a structure
    too broken to walk has nothing found in it (its damage is reported elsewhere)."""
    walk = _Walk()
    try:
        root = walk.resolve(root)
        if hasattr(root, "get"):
            if "/OpenAction" in root:
                walk.action(root.get("/OpenAction"))
            walk.additional(root)
            names = walk.resolve(root.get("/Names"))
            if hasattr(names, "get"):
                if walk.name_tree(names.get("/JavaScript")):
                    walk.found.add("javascript")
                if walk.name_tree(names.get("/EmbeddedFiles")):
                    walk.found.add("attachment")
            form = walk.resolve(root.get("/AcroForm"))
            if hasattr(form, "get"):
                if form.get("/XFA") is not None:
                    walk.found.add("xfa")
                walk.fields(form.get("/Fields"))
        for page in pages:
            if walk.left <= 0:
                break
            walk.left -= 1
            if "/AA" in page or "/A" in page:  # most pages have neither: no walk
                walk.additional(page)
            if "/Annots" in page:
                walk.annotations(page.get("/Annots"))
    except Exception:  # noqa: BLE001 - hostile structure: report what was found so far
        pass
    return tuple(k for k in KINDS if k in walk.found)


def describe(kinds: Iterable[str]) -> tuple[str, str]:
    """The kinds in words, (zh, en)."""
    kinds = list(kinds)
    return "、".join(KIND_WORDS[k][0] for k in kinds), ", ".join(KIND_WORDS[k][1] for k in kinds)


__all__ = [
    "ACTIVE_ACTIONS",
    "ATTACHMENT_ANNOTS",
    "KINDS",
    "MEDIA_ANNOTS",
    "active_content",
    "describe",
]

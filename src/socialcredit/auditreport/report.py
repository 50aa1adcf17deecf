"""The entry point: audit packs and render the report as markdown, HTML or JSON."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

from socialcredit.auditreport.html import render_html
from socialcredit.auditreport.markdown import render_markdown
from socialcredit.core.auditor import Audit, Scales, audit, load_scales
from socialcredit.core.auditor.audit import Progress
from socialcredit.core.errors import PackError
from socialcredit.services.packs.rulebook import load_book
from socialcredit.settings import packs_root

FORMATS = ("md", "html", "json")


def resolve_packs(packs: Sequence[str], root: Path | None = None) -> tuple[list[str], Path]:
    """Pack ids and their common root from pack folders (``packs/cn-tax-credit``) or ids."""
    ids: list[str] = []
    roots: set[Path] = set()
    for name in packs:
        folder = Path(name)
        if (folder / "pack.yaml").is_file():
            ids.append(folder.resolve().name)
            roots.add(folder.resolve().parent)
        else:
            ids.append(name)
            roots.add((root or packs_root()).resolve())
    if len(roots) > 1:
        where = ", ".join(sorted(str(r) for r in roots))
        raise PackError(where, None, "", "the packs of one audit must share one folder")
    return list(dict.fromkeys(ids)), roots.pop() if roots else (root or packs_root())


def run_audit(
    packs: Sequence[str],
    as_of: dt.date,
    scales: Scales | None = None,
    root: Path | None = None,
    progress: Progress | None = None,
) -> Audit:
    """Load the packs (with the packs they require) and audit them."""
    ids, folder = resolve_packs(packs, root)
    book = load_book(tuple(ids), folder)
    return audit(book, ids, as_of, scales or load_scales(), progress)


def render(result: Audit, fmt: str) -> str:
    """An audit as markdown, a self-contained HTML page (charts inline) or JSON."""
    if fmt == "json":
        return json.dumps(result.as_dict(), ensure_ascii=False, indent=2, default=str) + "\n"
    if fmt == "html":
        return render_html(result)
    if fmt == "md":
        return render_markdown(result)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def render_report(
    pack_ids: Sequence[str],
    fmt: str,
    as_of: dt.date,
    scales: Path | Scales | None = None,
    root: Path | None = None,
) -> str:
    """Audit packs (folders or ids) as of a date and render the report in one call.

    ``fmt`` is ``md``, ``html`` or ``json``; ``scales`` a scales file, loaded scales or
    None for the defaults. This is the call the web portal uses."""
    loaded = scales if isinstance(scales, Scales) else load_scales(scales)
    return render(run_audit(pack_ids, as_of, loaded, root), fmt)

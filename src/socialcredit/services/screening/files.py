"""Files of bulk screening: the counterparties read from a CSV, workbook or JSON Lines file
(columns name, identifier, region, role, or their Chinese headers), and the results written
as JSON, CSV (UTF-8 with a byte-order mark, so Excel opens it right) or a workbook."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from socialcredit.core.access import mask_identities
from socialcredit.core.screening.match import Counterparty, Match
from socialcredit.io.csv_out import csv_bytes as write_csv_bytes
from socialcredit.io.excel import workbook_bytes
from socialcredit.io.readers import BadRow, read_rows
from socialcredit.services.screening.screen import ScreeningReport

HEADERS = {
    "name": ("name", "名称", "姓名", "姓名/名称", "企业名称", "被执行人姓名/名称", "counterparty"),
    "identifier": ("identifier", "id", "统一社会信用代码", "身份证号码", "证件号码",
                   "统一社会信用代码/身份证号码", "身份证号码/组织机构代码"),
    "region": ("region", "地区", "所在地区", "省份", "所在地"),
    "role": ("role", "角色", "关系"),
}  # fmt: skip
ALIASES = {alias.casefold(): key for key, names in HEADERS.items() for alias in names}
COLUMNS = (
    "row", "name", "identifier", "region", "role", "status", "how", "score", "subject",
    "subject_name", "lists", "measures", "effect", "reasons", "notes",
)  # fmt: skip


def read_counterparties(path: Path) -> list[Counterparty]:
    """Every row of the file; an unreadable row becomes a counterparty without name or
    identifier, whose notes say why (screening reports it as unreadable)."""
    parties = []
    for number, row in read_rows(path):
        if isinstance(row, BadRow):
            parties.append(Counterparty(number, None, None, None, f"unreadable: {row.reason}"))
            continue
        values = {ALIASES.get(_header(k)): v for k, v in row.items()}
        parties.append(
            Counterparty(
                number,
                _text(values.get("name")),
                _text(values.get("identifier")),
                _text(values.get("region")),
                _text(values.get("role")),
            )
        )
    return parties


def _header(name: str) -> str:
    return unicodedata.normalize("NFKC", str(name)).strip().casefold()


def _text(value: Any) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


def as_json(report: ScreeningReport) -> dict[str, Any]:
    """The whole report, nested: per row its matches with reasons, entries, measures; for
    the public, every identity number in it masked (``core.access.mask_identities``)."""
    found = {
        "as_of": report.as_of.isoformat(),
        "action": report.action,
        "lists": report.lists,
        "listed_subjects": report.listed_subjects,
        "counts": report.counts(),
        "results": [
            {
                "row": r.counterparty.row,
                "counterparty": _party(r.counterparty),
                "status": r.status,
                "notes": r.notes,
                "matches": [_match(report, m) for m in r.matches],
            }
            for r in report.results
        ],
    }
    return mask_identities(found) if report.masked else found


def _party(party: Counterparty) -> dict[str, Any]:
    return {
        "name": party.name,
        "identifier": party.identifier,
        "region": party.region,
        "role": party.role,
    }


def _match(report: ScreeningReport, match: Match) -> dict[str, Any]:
    subject = match.subject
    decision = report.decisions.get(subject.subject)
    return {
        "subject": report.shown_id(subject.subject, subject.kind),
        "name": subject.name,
        "kind": subject.kind,
        "how": match.how,
        "score": match.score,
        "reasons": list(match.reasons),
        "entries": list(subject.entries),
        "measures": list(subject.measures),
        "decision": None
        if decision is None
        else {
            "action": report.action,
            "effect": decision["effect"],
            "reasons": decision["reasons"],
        },
    }


def flat_rows(report: ScreeningReport) -> Iterator[list[Any]]:
    """One line per match (or one per counterparty without any), in COLUMNS order."""
    for result in as_json(report)["results"]:
        party = result["counterparty"]
        head = [result["row"], party["name"], party["identifier"], party["region"], party["role"]]
        notes = "; ".join(result["notes"])
        if not result["matches"]:
            yield [*head, result["status"], *([None] * 8), notes]
        for match in result["matches"]:
            yield [*head, result["status"], *_match_cells(match), notes]


def _match_cells(match: dict[str, Any]) -> list[Any]:
    lists = "; ".join(
        f"{e['list']} ({e['starts']} to {e['ends'] or 'open'})" for e in match["entries"]
    )
    measures = "; ".join(
        f"{m['measure']} ({m['effect']}, {m['applied_by']})" for m in match["measures"]
    )
    effect = match["decision"]["effect"] if match["decision"] else None
    reasons = "; ".join(match["reasons"])
    return [match["how"], match["score"], match["subject"], match["name"], lists, measures, effect,
            reasons]  # fmt: skip


def csv_bytes(report: ScreeningReport) -> bytes:
    """The flat rows as CSV for people (``io.csv_out``: UTF-8 with a byte-order mark for
    Excel on Chinese Windows, formula-like text neutralised)."""
    return write_csv_bytes(COLUMNS, flat_rows(report))


def xlsx_bytes(report: ScreeningReport) -> bytes:
    """The flat rows as a workbook with one sheet, 筛查结果 (screening results)."""
    return workbook_bytes(COLUMNS, list(flat_rows(report)), "筛查结果")

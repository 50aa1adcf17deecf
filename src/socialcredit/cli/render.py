"""Rich renderings of decisions, reports and ingest reports for people."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from socialcredit.cli.common import console
from socialcredit.io.mapped import reading_lines

EFFECT_STYLE = {
    "deny": "bold red",
    "restrict": "red",
    "scrutinise": "yellow",
    "reward": "green",
    "allow": "green",
}


def decision(result: dict[str, Any]) -> None:
    effect = result["effect"]
    until = (
        f" until {result['until']}"
        if result.get("until")
        else (" (open-ended)" if result["reasons"] else "")
    )
    console.print(
        f"[bold]{result['subject']}[/] may [bold]{result['action']}[/] on {result['as_of']}: "
        f"[{EFFECT_STYLE[effect]}]{effect.upper()}[/]{until}"
    )
    if result.get("note"):
        console.print(f"  [bold yellow]{result['note']}[/]")
    elif not result["reasons"]:
        console.print("  no measure in force governs this action")
    for reason in result["reasons"]:
        explanation(reason)


def explanation(reason: dict[str, Any]) -> None:
    mark = "determining" if reason.get("determining", True) else "also applies"
    via = f" as {reason['target']} of {reason['via']}" if reason.get("via") else ""
    trigger = reason["trigger"]
    console.print(
        f"  • [{EFFECT_STYLE[reason['effect']]}]{reason['effect']}[/] by measure "
        f"[bold]{reason['measure']}[/] ({reason['agency']}, {mark}){via}, "
        f"{reason['starts']} – {reason['until'] or 'open-ended'}"
    )
    if reason.get("public"):
        console.print(f"    what it means: {reason['public']['en']}")
    for source in reason.get("sources") or [reason]:
        console.print(f"    legal basis: {_cite(source['legal_basis'])}")
        memo = source["memorandum"]
        console.print(f"    memorandum: {memo['title']} — {_cite(memo['source'])}")
    if trigger["kind"] == "list_entry":
        console.print(
            f"    because {trigger['subject']} is on {trigger['title']} since {trigger['starts']}"
            f" (rule of {trigger['rule_version']}; ends {_end(trigger['ends'])})"
        )
        console.print(f"    reason: {(trigger.get('public') or {}).get('en') or trigger['reason']}")
        console.print(f"    listing basis: {_cite(trigger['legal_basis'])}")
    elif trigger.get("withheld"):
        console.print(
            f"    because of {trigger['subject']}'s grade on {trigger['rating']} (withheld)"
        )
    else:
        console.print(
            f"    because {trigger['subject']} is graded {trigger['grade']} on {trigger['rating']}"
        )
    for record in trigger["records"]:
        console.print(
            f"    record: {record['category']} {record['doc_no']} from {record['agency']}, "
            f"decided {record['decided_on']} — {_cite(record['legal_basis'])}"
        )


def _end(day: str | None) -> str:
    return day or "when a removal trigger applies"


def _cite(citation: dict[str, Any]) -> str:
    provision = f", {citation['provision']}" if citation["provision"] else ""
    return (
        f"{citation['title']}{provision} [{citation['level']}; confidence {citation['confidence']}]"
    )


def ingest_report(report: dict[str, Any], limit: int = 20) -> None:
    if report["already_loaded"]:
        console.print(
            f"{report['file']}: already loaded (batch {report['batch'][:12]}); nothing added"
        )
        return
    console.print(
        f"{report['file']} ({report['agency']}): {report['rows']} rows — "
        f"[green]{report['accepted']} accepted[/], {report['updated']} updated, "
        f"{report['corrected']} corrected, "
        f"{report['duplicate']} duplicate, [red]{report['rejected']} rejected[/]"
    )
    for line in reading_lines(report.get("reading") or {}):
        console.print(f"  {line}", highlight=False, markup=False)
    for warning in report.get("warnings") or []:
        console.print(f"  warning: {warning}", style="yellow", highlight=False, markup=False)
    if report["rejections"]:
        table = Table("row", "why rejected", show_edge=False)
        for rejection in report["rejections"][:limit]:
            table.add_row(str(rejection["row"]), "; ".join(rejection["reasons"]))
        console.print(table)
        if len(report["rejections"]) > limit:
            console.print(f"  … and {len(report['rejections']) - limit} more (use --json for all)")


def _deletions(entries: list[dict[str, Any]]) -> None:
    """Under the entries: when each entry a removal ended must be deleted, and why."""
    for entry in entries:
        if deletion := entry.get("deletion"):
            approximate = "" if deletion["exact"] else " (approximate)"
            console.print(
                f"  {entry['list']}: must be deleted by {deletion['delete_by']}{approximate}, "
                f"{deletion['working_days']} working days after the removal on "
                f"{deletion['removed_on']} ({deletion['removed_by']}; "
                f"{deletion['legal_basis']['source']} {deletion['legal_basis']['provision']})",
                highlight=False,
            )


def credit_file(report: dict[str, Any]) -> None:
    subject = report["subject"]
    console.print(
        f"[bold]Credit file of {subject['id']}[/] ({subject['kind']}, "
        f"{subject['name'] or 'name unknown'}) as of {report['as_of']}"
    )
    if not subject["known"]:
        console.print("  no record of this subject has been submitted")
    table = Table(
        "list", "since", "until", "active", "reason", title="List entries", show_edge=False
    )
    for entry in report["entries"]:
        table.add_row(
            entry["list"],
            entry["starts"],
            entry["ends"] or "open-ended",
            "yes" if entry["active"] else "no",
            entry["reason"],
        )
    console.print(table)
    _deletions(report["entries"])
    _records(report["records"])
    for rating in report["ratings"]:
        console.print(
            f"Rating {rating['rating']}: grade {rating['grade']} (score {rating['score']:g})"
        )
    if report["roles"]:
        console.print("Roles: " + ", ".join(f"{r['role']} of {r['org']}" for r in report["roles"]))
    console.print(f"[bold]Measures in force[/]: {len(report['measures'])}")
    for measure in report["measures"]:
        explanation(measure)


def _records(shown: list[dict[str, Any]]) -> None:
    records = Table(
        "category", "doc_no", "agency", "decided", "status", title="Records", show_edge=False
    )
    for record in shown:
        records.add_row(
            record["category"],
            record["doc_no"],
            record["agency"],
            record["decided_on"],
            record["status"],
        )
    console.print(records)

"""Issued credit reports: a printed report gets a number, and its issue time and the digest
of its content are kept, so that whoever holds the paper (a bank clerk) can check it at
the portal's ``/verify/<number>``: same number, same date, same digest, or not ours.

The digest is SHA-256 over the report's content as shown (canonical JSON: sorted keys, no
spaces), without its generation time; the report shows it, and the verify page shows the
one kept when it was issued."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from typing import Any

from sqlalchemy import Connection, insert, select

from socialcredit.core.access import Principal
from socialcredit.services.audit import audit_read
from socialcredit.services.context import Context
from socialcredit.store import tables as t

NUMBER_PREFIX = "SC"


def report_digest(report: dict[str, Any]) -> str:
    """SHA-256 of the report's content (everything but ``generated_at``)."""
    content = {k: v for k, v in report.items() if k != "generated_at"}
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def new_number(as_of: dt.date) -> str:
    """``SC-<as of, YYYYMMDD>-<10 random hex digits>``: not guessable, easy to read out."""
    return f"{NUMBER_PREFIX}-{as_of:%Y%m%d}-{secrets.token_hex(5).upper()}"


def issue_report(ctx: Context, caller: Principal, report: dict[str, Any]) -> dict[str, Any]:
    """Number ``report`` (as ``caller`` was shown it), keep its digest, log the issue;
    the report gains ``issued`` (number, digest, issue time). The same content printed
    again on the same day keeps its number: an anonymous page cannot grow the store and
    the audit log by reloading."""
    as_of = dt.date.fromisoformat(report["as_of"])
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    issued = {
        "number": new_number(as_of),
        "subject_shown": str(report["subject"]["id"]),
        "as_of": as_of,
        "issued_at": now,
        "digest": report_digest(report),
    }
    with ctx.engine.begin() as db:
        same = _issued_today(db, issued, now)
        if same is not None:
            return {**report, "issued": _shown(same)}
        db.execute(insert(t.issued_reports).values(**issued))
        audit_read(  # counted, not chained, for the public (issue 13, item 19)
            db,
            caller,
            "report.issue",
            subject=str(issued["subject_shown"]),
            result=f"{issued['number']} sha256:{issued['digest']}",
        )
    return {**report, "issued": _shown(issued)}


def _issued_today(
    db: Connection, issued: dict[str, Any], now: dt.datetime
) -> dict[str, Any] | None:
    r = t.issued_reports.c
    midnight = now.replace(hour=0, minute=0, second=0)
    query = select(t.issued_reports).where(
        r.digest == issued["digest"],
        r.as_of == issued["as_of"],
        r.subject_shown == issued["subject_shown"],
        r.issued_at >= midnight,
    )
    found = db.execute(query.order_by(r.issued_at).limit(1)).first()
    return dict(found._mapping) if found else None


def verify_report(ctx: Context, number: str) -> dict[str, Any] | None:
    """What was kept when report ``number`` was issued, or None if we issued no such report."""
    query = select(t.issued_reports).where(t.issued_reports.c.number == number.strip().upper())
    with ctx.engine.connect() as db:
        row = db.execute(query).first()
    return _shown(dict(row._mapping)) if row else None


def _shown(issued: dict[str, Any]) -> dict[str, Any]:
    at = issued["issued_at"]
    if at.tzinfo is None:  # SQLite gives the time back without its zone (stored in UTC)
        at = at.replace(tzinfo=dt.UTC)
    return {
        "number": issued["number"],
        "subject_shown": issued["subject_shown"],
        "as_of": issued["as_of"].isoformat(),
        "issued_at": at.isoformat(timespec="seconds"),
        "digest": issued["digest"],
    }

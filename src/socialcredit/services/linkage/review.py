"""The linkage review queue. Records without a usable identity number are linked to persons
of the store (``linkage.model``); every candidate above the threshold waits here, pending,
until a clerk accepts or rejects it. Only an accepted candidate gives a record its subject
(``accepted_rows``, then ingested like any file): labelling reads the records table alone, so
no list entry or measure ever rests on an unreviewed match. Queueing and every review are
written to the audit log.

A candidate belongs to the agency whose record it links (``source_agency``): an agency key
sees and reviews only its own agency's candidates, an admin every one. Another agency's
candidate is answered as one that does not exist, so its existence is not confirmed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, false, insert, select, true, update

from socialcredit.core.access import Principal
from socialcredit.core.errors import SocialCreditError
from socialcredit.linkage.model import THRESHOLD as THRESHOLD
from socialcredit.linkage.model import Candidate, link, person_row, record_row
from socialcredit.services.lists.query import append_all
from socialcredit.store import tables as t

REVIEWERS = ("agency", "admin")


class LinkageRefused(SocialCreditError):
    """A caller who may not queue or review, or a candidate that is not pending."""


class UnknownCandidate(LinkageRefused):
    """No candidate of that id that the caller may see (none, or another agency's)."""


def _check(caller: Principal) -> None:
    if caller.role not in REVIEWERS:
        raise LinkageRefused(f"a {caller.role} key may not link or review records")


def _source(caller: Principal, agency: str | None) -> str:
    """The agency whose records are queued: an agency key's own, or the one an admin names."""
    source = caller.agency if caller.role == "agency" else agency
    if not source:
        raise LinkageRefused("name the agency whose records these are")
    return source


def _visible(caller: Principal) -> ColumnElement[bool]:
    """The candidates the caller may see: an admin every one, an agency its own."""
    if caller.role == "admin":
        return true()
    if caller.agency is None:
        return false()
    return t.link_candidates.c.source_agency == caller.agency


def link_records(
    engine: Engine,
    caller: Principal,
    records: Sequence[Mapping[str, Any]],
    threshold: float = THRESHOLD,
    agency: str | None = None,
) -> int:
    """Link ``records`` (each with ``key``, ``name``, ``id`` masked or missing,
    ``birth_year``, ``region``, and its own columns) to the persons of the store; queue
    every candidate at or above ``threshold`` as the records of ``agency`` (an agency key's
    own); return how many were queued."""
    _check(caller)
    source = _source(caller, agency)
    keys = [str(r.get("key") or "").strip() for r in records]
    if not all(keys) or len(set(keys)) != len(keys):
        raise LinkageRefused("every record needs a key of its own (column 'key')")
    rows = [
        record_row(
            str(r["key"]), r.get("name"), r.get("id"), _year(r.get("birth_year")), r.get("region")
        )
        for r in records
    ]
    with engine.connect() as db:
        query = select(t.subjects.c.id, t.subjects.c.name, t.subjects.c.region)
        persons = [
            person_row(p.id, p.name, p.region)
            for p in db.execute(query.where(t.subjects.c.kind == "person"))
        ]
    candidates = link(rows, persons, threshold) if rows and persons else []
    return queue(engine, caller, records, candidates, source)


def _year(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


def queue(
    engine: Engine,
    caller: Principal,
    records: Sequence[Mapping[str, Any]],
    candidates: Sequence[Candidate],
    agency: str | None = None,
) -> int:
    """Queue candidates (pending) with their records, as the records of ``agency`` (an
    agency key's own); a pair the agency already queued is skipped."""
    _check(caller)
    source = _source(caller, agency)
    by_key = {str(r["key"]): dict(r) for r in records}
    c = t.link_candidates
    with engine.begin() as db:
        mine = select(c.c.record_key, c.c.subject_id).where(c.c.source_agency == source)
        known = {(r.record_key, r.subject_id) for r in db.execute(mine)}
        fresh = [x for x in candidates if (x.record, x.subject) not in known]
        if fresh:
            db.execute(insert(c), [_pending(caller, source, x, by_key[x.record]) for x in fresh])
        append_all(
            db,
            [
                _entry(caller, "linkage.queue", x.subject, x.record, f"p={x.probability:.3f}")
                for x in fresh
            ],
        )
    return len(fresh)


def _pending(
    caller: Principal, source: str, found: Candidate, record: dict[str, Any]
) -> dict[str, Any]:
    return {
        "source_agency": source,
        "record_key": found.record,
        "record": record,
        "subject_id": found.subject,
        "probability": found.probability,
        "levels": found.levels,
        "status": "pending",
        "queued_by": caller.actor,
        "queued_at": dt.datetime.now(dt.UTC),
    }


def pending(engine: Engine, caller: Principal) -> list[dict[str, Any]]:
    """The candidates waiting for review that the caller may see, the most probable first."""
    _check(caller)
    c = t.link_candidates
    waiting = (c.c.status == "pending") & _visible(caller)
    query = select(c).where(waiting).order_by(c.c.probability.desc(), c.c.id)
    with engine.connect() as db:
        return [dict(row._mapping) for row in db.execute(query)]


def review(
    engine: Engine, caller: Principal, candidate_id: int, accept: bool, reason: str
) -> dict[str, Any]:
    """Accept or reject a pending candidate, with the reviewer's reason. Accepting one
    rejects the other candidates pending for the same record. A candidate the caller may
    not see is refused as one that does not exist (``UnknownCandidate``)."""
    _check(caller)
    if not reason.strip():
        raise LinkageRefused("give the reason for the review")
    c = t.link_candidates
    status = "accepted" if accept else "rejected"
    with engine.begin() as db:
        row = db.execute(select(c).where(c.c.id == candidate_id, _visible(caller))).first()
        if row is None:
            raise UnknownCandidate(f"candidate {candidate_id}: no such candidate")
        if row.status != "pending":
            raise LinkageRefused(f"candidate {candidate_id}: already {row.status}")
        _decide(db, caller, candidate_id, status, reason)
        action = f"linkage.{'accept' if accept else 'reject'}"
        entries = [_entry(caller, action, row.subject_id, row.record_key, reason)]
        if accept:
            others = select(c.c.id, c.c.subject_id).where(
                c.c.source_agency.is_not_distinct_from(row.source_agency),
                c.c.record_key == row.record_key,
                c.c.status == "pending",
            )
            because = f"candidate {candidate_id} accepted"
            for other in list(db.execute(others)):
                _decide(db, caller, other.id, "rejected", because)
                entries.append(
                    _entry(caller, "linkage.reject", other.subject_id, row.record_key, because)
                )
        append_all(db, entries)
    return {
        "id": candidate_id,
        "status": status,
        "subject": row.subject_id,
        "record": row.record_key,
    }


def _decide(db: Connection, caller: Principal, candidate_id: int, status: str, reason: str) -> None:
    c = t.link_candidates
    db.execute(
        update(c)
        .where(c.c.id == candidate_id)
        .values(
            status=status,
            review_reason=reason,
            reviewed_by=caller.actor,
            reviewed_at=dt.datetime.now(dt.UTC),
        )
    )


def accepted_rows(engine: Engine) -> list[dict[str, Any]]:
    """The records of accepted candidates with their subject set, ready to ingest."""
    c = t.link_candidates
    query = select(c.c.record, c.c.subject_id).where(c.c.status == "accepted").order_by(c.c.id)
    with engine.connect() as db:
        return [_row(r.record, r.subject_id) for r in db.execute(query)]


LINK_KEYS = ("key", "id", "birth_year", "region")


def _row(record: dict[str, Any], subject: str) -> dict[str, Any]:
    return {**{k: v for k, v in record.items() if k not in LINK_KEYS}, "subject": subject}


def _entry(
    caller: Principal, action: str, subject: str, record: str, result: str
) -> dict[str, Any]:
    return {
        "actor": caller.actor,
        "action": action,
        "subject": subject,
        "result": f"record {record}: {result}",
    }

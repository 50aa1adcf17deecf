"""The use cases "decide" and "decide a batch": the caller's scope is checked before anything
is computed, and every decision made is logged, in the transaction that read its facts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from socialcredit.core.access import Principal
from socialcredit.core.engine import Engine as RuleEngine
from socialcredit.core.errors import SocialCreditError, UnknownAction
from socialcredit.core.identifiers import parse_id
from socialcredit.services.audit import audit
from socialcredit.services.context import Context
from socialcredit.services.errors import forbidden
from socialcredit.services.records.facts import load_subject
from socialcredit.store import tables as t

UNKNOWN = (
    "nothing is known of this subject: no agency has submitted a record about him, so no "
    "measure can apply; this is not a check that he has none elsewhere"
)


@dataclass(frozen=True)
class Question:
    """May ``subject`` do ``action`` on ``as_of`` (default today)? ``purpose`` is logged."""

    subject: str
    action: str
    as_of: dt.date | None = None
    purpose: str | None = None


def answer(ctx: Context, caller: Principal, question: Question) -> dict[str, Any]:
    """The decision with its reasons, logged. Raises InvalidIdentifier, UnknownAction, or
    Refused (403) when the caller may not decide this action about this subject."""
    with ctx.engine.begin() as db:
        decision = _decide(db, ctx, caller, question)
        _log(db, caller, question, decision)
    return decision


def answer_batch(ctx: Context, caller: Principal, questions: list[Question]) -> list[Any]:
    """Each question answered on its own: a decision, or the domain error or refusal that
    turned it down. The decisions made are logged together, in one transaction."""
    results: list[Any] = []
    with ctx.engine.begin() as db:
        for question in questions:
            try:
                decision = _decide(db, ctx, caller, question)
            except SocialCreditError as error:
                results.append(error)
            else:
                results.append(decision)
                _log(db, caller, question, decision)
    return results


def _decide(db: Connection, ctx: Context, caller: Principal, question: Question) -> dict[str, Any]:
    code = parse_id(question.subject).code
    if question.action not in ctx.book.actions:
        raise UnknownAction(question.action, sorted(ctx.book.actions))
    if not caller.may_decide(question.action, code):
        raise forbidden(f"this key may not decide {question.action!r}")
    facts = load_subject(db, ctx.book, code)
    as_of = question.as_of or dt.date.today()
    decision = RuleEngine(ctx.book).decide(facts, code, question.action, as_of).as_dict()
    known = db.execute(select(t.subjects.c.id).where(t.subjects.c.id == code)).first()
    return {**decision, "known": known is not None, "note": None if known else UNKNOWN}


def _log(db: Connection, caller: Principal, question: Question, decision: dict[str, Any]) -> None:
    audit(
        db,
        caller,
        "decide",
        subject=decision["subject"],
        purpose=question.purpose,
        result=f"{question.action}:{decision['effect']}",
        revisions=decision["pack_revisions"],
    )

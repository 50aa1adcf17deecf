"""The use cases "decide" and "decide a batch": the caller's scope is checked before anything
is computed, and every decision made is logged, in a transaction that commits before the
answer is returned.

Answers come from the process's decision index (``holder``) when it covers the day asked,
from the live engine otherwise; each says which (``answered_by``). The reasons are built
only when the question asks for them (``explain``, the default)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, select

from socialcredit.core.access import Principal
from socialcredit.core.engine.decide import EFFECT_ORDER
from socialcredit.core.errors import SocialCreditError, UnknownAction
from socialcredit.core.identifiers import parse_id
from socialcredit.index import IndexDecision
from socialcredit.index.decisions import FactsFor
from socialcredit.services.audit import audit, audit_many
from socialcredit.services.audit_sealer import sealer_running
from socialcredit.services.context import Context
from socialcredit.services.decisions.holder import IndexHolder, holder_for
from socialcredit.services.decisions.shown import shown_reasons
from socialcredit.services.errors import forbidden
from socialcredit.store import tables as t

UNKNOWN = (
    "nothing is known of this subject: no agency has submitted a record about him, so no "
    "measure can apply; this is not a check that he has none elsewhere"
)
ALLOW = EFFECT_ORDER.index("allow")
# One statement for any number of subjects (compiled once, the list bound at execution).
KNOWN = select(t.subjects.c.id).where(t.subjects.c.id.in_(bindparam("ids", expanding=True)))
KNOWN_ONE = select(t.subjects.c.id).where(t.subjects.c.id == bindparam("id"))


@dataclass(frozen=True)
class Question:
    """May ``subject`` do ``action`` on ``as_of`` (default today)? ``purpose`` is logged;
    ``explain``: give the reasons (else the ids of the determining measures only)."""

    subject: str
    action: str
    as_of: dt.date | None = None
    purpose: str | None = None
    explain: bool = True


@dataclass(frozen=True)
class Checked:
    """A question the caller may ask: the subject's code and the day."""

    question: Question
    code: str
    day: dt.date


def answer(ctx: Context, caller: Principal, question: Question) -> dict[str, Any]:
    """The decision with its reasons, logged. Raises InvalidIdentifier, UnknownAction, or
    Refused (403) when the caller may not decide this action about this subject."""
    asked = _check(ctx, caller, question)
    holder, sealed = holder_for(ctx.engine, ctx.book), not sealer_running(ctx.engine)
    with ctx.engine.begin() as db:
        found = holder.answer(db, asked.code, question.action, asked.day, question.explain)
        decision = _shaped(holder, found, _known(db, [asked.code]), caller)
        audit(db, caller, "decide", **_entry(question, decision), seal_at_commit=sealed)
    return decision


def answer_batch(ctx: Context, caller: Principal, questions: list[Question]) -> list[Any]:
    """Each question answered on its own: a decision, or the domain error or refusal that
    turned it down. The index is asked for all of them at once; the decisions made are
    logged together, in one transaction."""
    results: list[Any] = []
    asked: list[tuple[int, Checked]] = []
    for question in questions:
        try:
            asked.append((len(results), _check(ctx, caller, question)))
            results.append(None)
        except SocialCreditError as error:
            results.append(error)
    if not asked:
        return results
    holder, sealed = holder_for(ctx.engine, ctx.book), not sealer_running(ctx.engine)
    with ctx.engine.begin() as db:
        decisions = _batch(db, holder, [checked for _, checked in asked], caller)
        for (at, _), decision in zip(asked, decisions, strict=True):
            results[at] = decision
        entries = [_entry(c.question, d) for (_, c), d in zip(asked, decisions, strict=True)]
        audit_many(db, caller, "decide", entries, sealed)
    return results


def _batch(
    db: Connection, holder: IndexHolder, asked: list[Checked], caller: Principal
) -> list[dict[str, Any]]:
    """The answers in order: the covered days by one vectorised look-up, then explained (or
    named by their determining measures) one by one where something applies."""
    seen = holder.generation
    holder.catch_up(db)
    holder.ensure({c.code for c in asked})
    known = _known(db, [c.code for c in asked])
    covered = [c for c in asked if holder.covers(c.day)]
    effects = iter(
        holder.index.decide_many(
            [c.code for c in covered],
            [c.question.action for c in covered],
            [c.day for c in covered],
        ).effects.tolist()
        if covered
        else []
    )
    found, reader = [], holder.reader(db, seen)
    for checked in asked:
        effect = next(effects) if holder.covers(checked.day) else None
        found.append(_shaped(holder, _one(holder, reader, checked, effect), known, caller))
    return found


def _effects(holder: IndexHolder, covered: list[Checked]) -> list[int]:
    """The effect codes of the covered questions, by one vectorised look-up."""
    if not covered:
        return []
    subjects, actions = [c.code for c in covered], [c.question.action for c in covered]
    found = holder.index.decide_many(subjects, actions, [c.day for c in covered])
    codes: list[int] = found.effects.tolist()
    return codes


def _one(
    holder: IndexHolder, reader: FactsFor, checked: Checked, effect: int | None
) -> IndexDecision:
    """One answer of a batch: an allowed covered day needs no second look."""
    q = checked.question
    if effect == ALLOW and not q.explain:
        return IndexDecision(checked.code, q.action, checked.day, "allow", "index", (), (), None)
    return holder.index.decide(checked.code, q.action, checked.day, q.explain, reader)


def _check(ctx: Context, caller: Principal, question: Question) -> Checked:
    code = parse_id(question.subject).code
    if question.action not in ctx.book.actions:
        raise UnknownAction(question.action, sorted(ctx.book.actions))
    if not caller.may_decide(question.action, code):
        raise forbidden(f"this key may not decide {question.action!r}")
    return Checked(question, code, question.as_of or dt.date.today())


def _known(db: Connection, codes: list[str]) -> set[str]:
    """Which of the subjects the store holds a record of (one: without the expanding
    parameter, rendered anew on each execution)."""
    if len(codes) == 1:
        return {row.id for row in db.execute(KNOWN_ONE, {"id": codes[0]})}
    return {row.id for row in db.execute(KNOWN, {"ids": sorted(set(codes))})}


def _shaped(
    holder: IndexHolder, found: IndexDecision, known: set[str], caller: Principal
) -> dict[str, Any]:
    """The answer as the API and the command line give it: the engine's decision (reasons
    only when explained, their triggers as the caller may see them: ``shown_reasons``), who
    answered, the determining measures by id, and whether the store knows the subject."""
    if found.decision is not None:
        base = found.decision.as_dict()
        base["reasons"] = shown_reasons(holder.book, caller, base["reasons"])
    else:
        base = {
            "subject": found.subject,
            "action": found.action,
            "as_of": found.as_of.isoformat(),
            "effect": found.effect,
            "until": None,
            "reasons": [],
            "pack_revisions": holder.revisions,
        }
    is_known = found.subject in known
    return {
        **base,
        "answered_by": found.source,
        "explained": found.decision is not None,
        "determining": [
            {"measure": m, "trigger": {"kind": k, "id": i, "via": via or None}}
            for m, (k, i, via) in zip(found.measures, found.triggers, strict=True)
        ],
        "known": is_known,
        "note": None if is_known else UNKNOWN,
    }


def _entry(question: Question, decision: dict[str, Any]) -> dict[str, Any]:
    return {
        "subject": decision["subject"],
        "purpose": question.purpose,
        "result": f"{question.action}:{decision['effect']}",
        "revisions": decision["pack_revisions"],
    }

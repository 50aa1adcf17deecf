"""The status history of records (performed, revoked, corrected, repaired...) by date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Engine, select

from socialcredit.services.context import Context
from socialcredit.store import tables as t


def status_changes(
    engine: Engine, record_ids: Sequence[str], until: dt.date
) -> list[tuple[str, str, dt.date]]:
    """(record id, status, date) of every status change of these records up to ``until``,
    oldest first. The caller passes only records its reader may see."""
    if not record_ids:
        return []
    c = t.record_status.c
    query = (
        select(c.record_id, c.status, c.date)
        .where(c.record_id.in_(list(record_ids)), c.date <= until)
        .order_by(c.date, c.id)
    )
    with engine.connect() as db:
        return [(row.record_id, row.status, row.date) for row in db.execute(query)]


def shown_status_changes(
    ctx: Context, record_ids: Sequence[str], until: dt.date
) -> list[tuple[str, str, dt.date]]:
    """``status_changes`` in the context of a use case."""
    return status_changes(ctx.engine, record_ids, until)

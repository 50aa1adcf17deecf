"""The use case "label": run every loaded pack over the store (``labelling.run.label``, which
writes the run, its entries, ratings and feed events in its own transaction), then log the
run. Only the operator of the store labels (the command line's principal)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from socialcredit.core.access import Principal
from socialcredit.services.audit import audit
from socialcredit.services.context import Context
from socialcredit.services.decisions.holder import refresh_after_write
from socialcredit.services.errors import forbidden
from socialcredit.services.labelling.governance import catalogue_findings
from socialcredit.services.labelling.run import DEFAULT_ENGINE, LabelSummary, label


def run_labelling(
    ctx: Context,
    caller: Principal,
    as_of: dt.date,
    progress: Callable[[int], None] | None = None,
    on_loaded: Callable[[int], None] | None = None,
    engine: str = DEFAULT_ENGINE,
    master: str | None = None,
    outside_catalogue: bool = False,
) -> LabelSummary:
    """Label every subject as of ``as_of`` with ``engine`` (python, duckdb or spark at
    ``master``); one audit entry names the run and its size. ``outside_catalogue``: run
    even if a governing pack finds categories or measures outside its catalogue (logged)."""
    if caller.role != "admin":
        raise forbidden("labelling is for the operator of the store")
    summary = label(
        ctx.engine,
        ctx.book,
        as_of,
        progress,
        on_loaded,
        engine=engine,
        master=master,
        outside_catalogue=outside_catalogue,
    )
    with ctx.engine.begin() as db:
        result = f"run {summary.run_id} as of {as_of} ({summary.engine}): {summary.entries} entries"
        if outside_catalogue and (outside := catalogue_findings(ctx.book, as_of)):
            result += (
                f"; run anyway with {len(outside)} categories or measures outside the catalogue"
            )
        audit(db, caller, "label", result=result, revisions=ctx.book.revisions())
    refresh_after_write(ctx.engine)  # the index catches up with what the run read
    return summary

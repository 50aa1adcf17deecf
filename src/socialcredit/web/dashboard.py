"""The dashboard: list sizes over time, inflow and outflow, measures by agency and domain,
as charts with the same numbers in tables, over what the public may see."""

from __future__ import annotations

import threading
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from socialcredit.services.context import Context
from socialcredit.services.public.stats import Dashboard, latest_run_id, public_dashboard
from socialcredit.web import charts
from socialcredit.web.deps import StateDep
from socialcredit.web.public import PUBLIC
from socialcredit.web.templating import render

router = APIRouter(include_in_schema=False)
TOP_LISTS = 8
_LOCK = threading.Lock()
_CACHE: dict[tuple[int, str], dict[str, Any]] = {}


@router.get("/dashboard", response_class=HTMLResponse)
def page(request: Request, app: StateDep) -> HTMLResponse:
    return render(request, "dashboard.html", **figures(app))


def figures(app: Context) -> dict[str, Any]:
    """The dashboard of the latest label run: computed once per run and store."""
    key = (latest_run_id(app) or 0, str(app.engine.url))
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = _charts(public_dashboard(app, PUBLIC))
        return _CACHE[key]


def _charts(found: Dashboard) -> dict[str, Any]:
    if found.run is None:
        return {"found": found, "charts": None, "shown_lists": 0}
    dates = [d.isoformat() for d in found.dates]
    biggest = sorted(found.sizes, key=lambda k: -found.sizes[k][-1])[:TOP_LISTS]
    years = [str(year) for year, _, _ in found.flows]
    return {
        "found": found,
        "shown_lists": len(biggest),
        "charts": {
            "sizes": charts.lines(
                "Entries in force on the largest lists", dates, {k: found.sizes[k] for k in biggest}
            ),
            "flows": charts.paired_bars(
                "List entries started and ended per year",
                years,
                [s for _, s, _ in found.flows],
                [e for _, _, e in found.flows],
                ("started (inflow)", "ended (outflow)"),
            ),
            "agency": charts.bars(
                "Measures in force by implementing agency", dict(found.by_agency), "measures"
            ),
            "domain": charts.bars("Measures in force by domain", dict(found.by_domain), "measures"),
        },
    }

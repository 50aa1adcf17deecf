"""A console screening's downloads, served from a short-lived result kept in memory.

The page links to ``/agency/screening/results/<token>/<csv|xlsx|json>`` instead of carrying
the files inside itself (a 10,000-row screening made pages of megabytes). The result is kept
in this process's memory, never in the store: only the session that screened may fetch it
(any other session, of the same agency or not, gets 404, as for a token never issued), a
session keeps its latest few, and every result is forgotten after a quarter of an hour.
The files are made on request by the screening service's own writers."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import Response

from socialcredit.services.screening.files import as_json, csv_bytes, xlsx_bytes
from socialcredit.services.screening.screen import ScreeningReport
from socialcredit.web.guard import require_role
from socialcredit.web.refusals import PortalError
from socialcredit.web.session import SESSION_COOKIE

router = APIRouter(include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS: dict[str, tuple[str, Callable[[ScreeningReport], bytes]]] = {
    "csv": ("text/csv; charset=utf-8", csv_bytes),
    "xlsx": (XLSX, xlsx_bytes),
    "json": (
        "application/json",
        lambda report: json.dumps(as_json(report), ensure_ascii=False).encode(),
    ),
}


@dataclass(frozen=True)
class Kept:
    session: str  # a digest of the session's cookie, not the cookie itself
    made: float
    report: ScreeningReport


class ResultShelf:
    """Screening results by random token: at most ``per_session`` per session and ``total``
    in all (the oldest go first), none older than ``max_age`` seconds."""

    def __init__(
        self,
        per_session: int = 3,
        total: int = 24,
        max_age: float = 900.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_session, self.total, self.max_age, self.clock = per_session, total, max_age, clock
        self._kept: OrderedDict[str, Kept] = OrderedDict()
        self._lock = threading.Lock()

    def keep(self, session: str, report: ScreeningReport) -> str:
        """Keep ``report`` for ``session``; the token that fetches it."""
        token = secrets.token_urlsafe(18)
        with self._lock:
            self._forget_old()
            mine = [t for t, kept in self._kept.items() if kept.session == session]
            for old in mine[: max(0, len(mine) - self.per_session + 1)]:
                del self._kept[old]
            while len(self._kept) >= self.total:
                self._kept.popitem(last=False)
            self._kept[token] = Kept(session, self.clock(), report)
        return token

    def fetch(self, session: str, token: str) -> ScreeningReport | None:
        """The report kept under ``token`` if ``session`` made it and it is still kept."""
        with self._lock:
            self._forget_old()
            kept = self._kept.get(token)
        if kept is None or not hmac.compare_digest(kept.session, session):
            return None
        return kept.report

    def __len__(self) -> int:
        with self._lock:
            return len(self._kept)

    def _forget_old(self) -> None:
        oldest = self.clock() - self.max_age
        while self._kept and next(iter(self._kept.values())).made < oldest:
            self._kept.popitem(last=False)


def shelf(request: Request) -> ResultShelf:
    found: ResultShelf = request.app.state.screening_results
    return found


def session_of(request: Request) -> str:
    """A digest of the signed-in session's cookie (``require_role`` has checked it)."""
    cookie = request.cookies.get(SESSION_COOKIE, "")
    return hashlib.sha256(cookie.encode()).hexdigest()


def download_links(token: str, report: ScreeningReport) -> dict[str, str]:
    """The page's links: file name to the address that serves it."""
    return {
        f"screening-{report.as_of}.{fmt}": f"/agency/screening/results/{token}/{fmt}"
        for fmt in FORMATS
    }


@router.get("/agency/screening/results/{token}/{fmt}")
def download(request: Request, token: str, fmt: str) -> Response:
    """One of the session's kept results as CSV (with a byte-order mark), workbook or JSON."""
    require_role(request, "agency")
    report = shelf(request).fetch(session_of(request), token[:100])
    if report is None or fmt not in FORMATS:
        raise PortalError(404, "No such screening result: results are kept a short while.")
    media, write = FORMATS[fmt]
    name = f"screening-{report.as_of}.{fmt}"
    headers = {
        "content-disposition": f'attachment; filename="{name}"',
        "cache-control": "no-store",
    }
    return Response(write(report), media_type=media, headers=headers)

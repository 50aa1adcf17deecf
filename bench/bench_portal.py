"""Response times of the portal's pages over loopback, on a demo database.

    socialcredit demo --no-serve --dir demo          # 20 000 persons, 5 000 organisations
    python bench/bench_portal.py --dir demo --repeat 20

Serves the portal with uvicorn on a free port (as `socialcredit serve` does), signs in with a
fresh subject key and agency key, asks each page ``--repeat`` times and prints the median, the
95th percentile and the first (cold) answer per page; writes bench/results/portal.json.
Timings are wall-clock on whatever machine runs this; tests never assert them.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import statistics
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import text

from socialcredit.app import create_app
from socialcredit.services.access.keys import create_key
from socialcredit.store.database import connect

SCOPES = {"categories": ["*"], "disclosures": ["public", "shared"], "actions": ["*"]}
AS_OF = "2025-12-31"


def _listed(url: str) -> tuple[str, str]:
    query = text(
        "SELECT s.id, s.name FROM list_entries e JOIN subjects s ON s.id = e.subject_id "
        "WHERE e.list_id = 'dishonest-judgment-debtors' AND s.kind = 'person' "
        "AND e.starts <= :day AND (e.ends IS NULL OR e.ends > :day) ORDER BY s.id LIMIT 1"
    )
    with connect(url).connect() as db:
        row = db.execute(query, {"day": AS_OF}).one()
    return str(row.id), str(row.name)


def _serve(url: str, port: int) -> uvicorn.Server:
    server = uvicorn.Server(
        uvicorn.Config(create_app(url), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server


def _signed_in(base: str, key: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=120, follow_redirects=True)
    form = client.get("/signin").text
    token = re.search(r'name="token" value="([^"]+)"', form)
    assert token is not None
    client.post("/signin", data={"key": key, "token": token.group(1)})
    return client


def _time(client: httpx.Client, path: str, repeat: int) -> dict[str, Any]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    ordered = sorted(times)
    return {
        "path": path,
        "first_ms": round(times[0], 1),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 1),
        "bytes": len(response.content),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, default=Path("demo"), help="the demo folder")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--port", type=int, default=8799)
    args = parser.parse_args()
    url = f"sqlite:///{args.dir / 'socialcredit.db'}"
    listed, name = _listed(url)
    engine = connect(url)
    subject_key = create_key(engine, "subject", "bench subject", subject=listed)
    agency_key = create_key(engine, "agency", "bench court", agency="court", scopes=SCOPES)
    server = _serve(url, args.port)
    base = f"http://127.0.0.1:{args.port}"
    public = httpx.Client(base_url=base, timeout=120)
    found = re.search(r'href="/subjects/([^"]+)"', public.get("/", params={"q": listed}).text)
    assert found is not None
    ref = found.group(1)
    pages = [
        (public, "/"),
        (public, f"/?q={name}"),
        (public, "/?q=%E7%8E%8B"),
        (public, f"/subjects/{ref}?as_of={AS_OF}"),
        (public, f"/subjects/{ref}/report?as_of={AS_OF}"),
        (public, "/lists"),
        (public, "/lists/dishonest-judgment-debtors"),
        (public, "/packs/cn-judgment-defaulters"),
        (public, "/packs/cn-judgment-defaulters/sources/spc-2017"),
        (public, "/packs/cn-judgment-defaulters/audit"),
        (public, "/dashboard"),
        (_signed_in(base, subject_key), f"/me?as_of={AS_OF}"),
    ]
    agency = _signed_in(base, agency_key)
    pages += [
        (agency, "/agency"),
        (agency, f"/agency/decide?subject={listed}&action=buy_flight_ticket&as_of={AS_OF}"),
        (agency, "/agency/entries?list=dishonest-judgment-debtors"),
        (agency, "/agency/feed?after=0"),
    ]
    with engine.connect() as db:
        sizes = {
            t: db.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("subjects", "records", "list_entries")
        }
    results = [_time(client, path, args.repeat) for client, path in pages]
    server.should_exit = True
    print(f"store: {sizes}; {args.repeat} requests per page")
    for r in results:
        print(
            f"{r['p50_ms']:8.1f} ms p50 {r['p95_ms']:8.1f} ms p95 {r['first_ms']:8.1f} ms first"
            f"  {r['bytes'] // 1024:5d} KiB  {r['path']}"
        )
    out = Path(__file__).parent / "results" / "portal.json"
    out.parent.mkdir(exist_ok=True)
    meta = {"machine": platform.platform(), "python": platform.python_version(), "store": sizes}
    out.write_text(json.dumps({**meta, "pages": results}, indent=2), encoding="utf-8")
    print(f"written to {out}")


if __name__ == "__main__":
    main()

"""Every change to the API's contract shows: the OpenAPI document must equal the committed
snapshot (docs/openapi.json), and the failure prints the difference. After a deliberate
change, refresh it with `make openapi` and commit it with the change."""

from __future__ import annotations

import difflib
import json

from tests.openapi_snapshot import SNAPSHOT, current, text


def test_the_openapi_document_equals_its_snapshot() -> None:
    made = text(current())
    kept = SNAPSHOT.read_text(encoding="utf-8") if SNAPSHOT.exists() else ""
    diff = "".join(
        difflib.unified_diff(
            kept.splitlines(keepends=True),
            made.splitlines(keepends=True),
            "docs/openapi.json (committed)",
            "the API as the code makes it",
            n=2,
        )
    )
    assert made == kept, f"the API's contract changed; `make openapi` refreshes:\n{diff}"


def test_every_v1_operation_declares_its_answer() -> None:
    document = json.loads(text(current()))
    missing = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            ok = operation["responses"].get("200") or operation["responses"].get("201")
            content = (ok or {}).get("content", {})
            if path.startswith("/v1") and not any(c.get("schema") for c in content.values()):
                missing.append(f"{method.upper()} {path}")
    assert not missing, f"operations without a response schema: {missing}"


def test_a_changed_contract_shows_as_a_difference() -> None:
    document = current()
    document["paths"]["/v1/health"]["get"]["summary"] = "changed"
    assert text(document) != SNAPSHOT.read_text(encoding="utf-8")

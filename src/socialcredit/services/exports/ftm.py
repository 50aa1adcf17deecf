"""The FollowTheMoney export: the entries in force of the restricting lists (blacklists and
watchlists; redlists reward and are left out), as the caller may see them, with the measures
each list triggers and their legal sources, as FtM entities. Every subject shown is logged
in its access log, as any list read is."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from socialcredit.core.access import Principal
from socialcredit.core.pack.model import Rulebook
from socialcredit.io.ftm import DATASET, ListInfo, dataset_metadata, entities
from socialcredit.services.lists.definitions import UnknownList, list_definition
from socialcredit.services.lists.memoranda import memorandum_definitions
from socialcredit.services.lists.query import EntryQuery, EntrySet, find_entries, log_read, present

RESTRICTING = ("blacklist", "watchlist")
MEDIA_TYPE = "application/x-ndjson"


@dataclass(frozen=True)
class FtmExport:
    """The dataset's metadata and its entities (subjects first, then one Sanction per entry)."""

    as_of: dt.date
    metadata: dict[str, Any]
    entities: list[dict[str, Any]]
    lists: dict[str, int]  # list id -> entries exported

    def jsonl(self) -> bytes:
        """The entities as JSON Lines, one entity per line."""
        lines = (json.dumps(e, ensure_ascii=False, sort_keys=True) for e in self.entities)
        return "".join(f"{line}\n" for line in lines).encode("utf-8")

    def index(self) -> dict[str, Any]:
        """The dataset index, as FtM catalogues write it, with what this export holds."""
        return {"datasets": [self.metadata], "entities": len(self.entities), "lists": self.lists}


def restricting_lists(book: Rulebook) -> list[str]:
    """The blacklists and watchlists of the loaded packs."""
    return sorted(i for i, rules in book.lists.items() if rules[0].definition.kind in RESTRICTING)


def export_ftm(
    engine: Engine,
    book: Rulebook,
    caller: Principal,
    as_of: dt.date | None = None,
    list_ids: Sequence[str] | None = None,
    purpose: str | None = None,
) -> FtmExport:
    """The entries in force on ``as_of`` (default: the latest label run's date) of the named
    lists (default: every restricting list) as FtM entities; raises ``UnknownList``."""
    chosen = list(list_ids) if list_ids else restricting_lists(book)
    for list_id in chosen:
        if list_id not in book.lists:
            raise UnknownList(list_id)
    found: list[EntrySet] = []
    with engine.connect() as db:
        for list_id in chosen:
            found.append(find_entries(db, book, caller, EntryQuery(list_id, as_of, True)))
    day = as_of or (found[0].as_of if found else dt.date.today())
    rows = [present(row, caller) for entries in found for row in entries.rows]
    infos = {list_id: _info(book, list_id) for list_id in chosen}
    exported = entities(rows, infos)
    with engine.begin() as db:
        for entries in found:
            log_read(db, caller, "exports.ftm", entries, purpose)
    counts = {entries.list_id: len(entries.rows) for entries in found}
    return FtmExport(day, dataset_metadata(day, list(infos.values())), exported, counts)


def _info(book: Rulebook, list_id: str) -> ListInfo:
    pack = book.lists[list_id][0].pack
    definition = list_definition(book, list_id)
    return ListInfo(definition, memorandum_definitions(book, list_id), pack.spec.jurisdiction)


__all__ = ["DATASET", "MEDIA_TYPE", "FtmExport", "export_ftm", "restricting_lists"]

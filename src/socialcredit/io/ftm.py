"""List entries, their measures and legal sources as FollowTheMoney entities.

Screening tools built on FollowTheMoney (yente, nomenklatura) read entities: each listed
subject becomes a ``Person``, a ``Company`` (an enterprise's USCC, registration category 9) or
an ``Organization``; each list entry a ``Sanction`` that names the list (program), the
submitting agency (authority), the legal provisions of the listing and of every measure the
list triggers, the reason and the dates. The entities are made with the ``followthemoney``
package itself and carry the dataset's name; ``dataset_metadata`` describes the dataset.

Pure: the caller passes the entry rows (as ``services.lists.query`` gives them, masked for
the public), the list definitions and the memoranda the lists trigger.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from followthemoney import model
from followthemoney.dataset import Dataset
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from socialcredit.core.identifiers import parse_id

DATASET = "socialcredit_lists"
PUBLISHER = {"name": "socialcredit (reference implementation)", "country": "cn"}
TOPICS = {"blacklist": "debarment", "key_attention": "reg.warn", "redlist": None}


@dataclass(frozen=True)
class ListInfo:
    """What the export says about one list: its definition and the memoranda it triggers
    (``services.lists.definitions.list_definition`` and ``memoranda.memorandum_definitions``)."""

    definition: Mapping[str, Any]
    memoranda: Sequence[Mapping[str, Any]]
    jurisdiction: str = "CN"  # the pack's: CN, CN-37 (a province), EU, US, MDB...


def citation_text(citation: Mapping[str, Any]) -> str:
    """'SPC Provisions ... art. 1 (judicial_interpretation)' from a resolved citation."""
    provision = f" {citation['provision']}" if citation.get("provision") else ""
    return f"{citation['title']}{provision} ({citation['level']})"


def dataset_metadata(as_of: dt.date, lists: Sequence[ListInfo]) -> dict[str, Any]:
    """The dataset's metadata, as followthemoney's ``Dataset`` writes it."""
    titles = ", ".join(str(info.definition["title"]) for info in lists)
    dataset = Dataset(
        {
            "name": DATASET,
            "title": "Social credit lists (socialcredit)",
            "summary": f"List entries in force on {as_of.isoformat()}, with the measures each "
            f"list triggers and their legal sources: {titles}",
            "updated_at": dt.datetime.combine(as_of, dt.time()).isoformat(),
            "category": "sanctions",
            "publisher": PUBLISHER,
        }
    )
    return dict(dataset.to_dict())


def entities(
    rows: Sequence[Mapping[str, Any]], lists: Mapping[str, ListInfo]
) -> list[dict[str, Any]]:
    """One entity per listed subject (its topics from all its lists), then one Sanction per
    entry; every list an entry names must be in ``lists``."""
    subjects: dict[str, EntityProxy] = {}
    sanctions = []
    for row in rows:
        info = lists[row["list"]]
        key = str(row["subject"])
        if key not in subjects:
            subjects[key] = subject_entity(row, info)
        elif topic := TOPICS.get(str(info.definition.get("kind"))):
            subjects[key].add("topics", topic)
        sanctions.append(sanction_entity(row, info, str(subjects[key].id)))
    return [_with_dataset(e) for e in [*subjects.values(), *sanctions]]


def subject_entity(row: Mapping[str, Any], info: ListInfo) -> EntityProxy:
    """The listed subject: a Person, a Company or an Organization."""
    code = str(row["subject"])
    masked = "*" in code
    kind = row.get("subject_kind")
    schema = (
        "Person" if kind == "person" else ("Company" if code.startswith("9") else "Organization")
    )
    entity = model.make_entity(schema)
    entity.make_id(DATASET, "subject", code, "" if not masked else str(row.get("name") or ""))
    entity.add("name", row.get("name"))
    entity.add("country", "cn")
    if topic := TOPICS.get(str(info.definition.get("kind"))):
        entity.add("topics", topic)
    if masked:
        entity.add("notes", f"identity number as published, masked: {code}")
    elif schema == "Person":
        entity.add("idNumber", code)
        entity.add("birthDate", _iso(parse_id(code).birth_date))
    else:
        entity.add("registrationNumber", code)
        entity.add("taxNumber", code)  # the USCC is also the taxpayer number
    return entity


def sanction_entity(row: Mapping[str, Any], info: ListInfo, subject_id: str) -> EntityProxy:
    """One list entry: the list, the agency, the reason, the dates and every provision."""
    definition = info.definition
    sanction = model.make_entity("Sanction")
    sanction.make_id(DATASET, "entry", row["list"], subject_id, _iso(row["starts"]),
                     str(row.get("record_id") or row.get("reason")))  # fmt: skip
    sanction.add("entity", subject_id)
    sanction.add("program", definition["title"])
    sanction.add("programId", definition["id"])
    sanction.add("authority", row.get("agency") or definition.get("pack"))
    sanction.add("country", registry.country.clean(info.jurisdiction.split("-")[0]))
    sanction.add("reason", row.get("reason"))
    sanction.add("listingDate", _iso(row["starts"]))
    sanction.add("startDate", _iso(row["starts"]))
    sanction.add("endDate", _iso(row.get("ends") or row.get("planned_end")))
    sanction.add("status", "active" if row.get("active") else "ended")
    sanction.add("recordId", row.get("doc_no"))
    sanction.add("provisions", _listing_provisions(definition, row))
    for memo in info.memoranda:
        for measure in memo["measures"]:
            sanction.add("provisions", citation_text(measure["legal_basis"]))
            sanction.add("summary", _measure_text(memo, measure))
    return sanction


def _listing_provisions(definition: Mapping[str, Any], row: Mapping[str, Any]) -> list[str]:
    version = _iso(row.get("rule_version"))
    chosen = [v for v in definition["versions"] if v["in_force"] == version] or definition[
        "versions"
    ][-1:]
    return [citation_text(v["legal_basis"]) for v in chosen]


def _measure_text(memo: Mapping[str, Any], measure: Mapping[str, Any]) -> str:
    actions = ", ".join(measure["actions"])
    targets = ", ".join(measure["targets"])
    return (
        f"{measure['effect']}: {actions} (measure {measure['id']} of {memo['title']}; "
        f"applied by {measure['agency']}; reaches {targets})"
    )


def _with_dataset(entity: EntityProxy) -> dict[str, Any]:
    data = dict(entity.to_dict())
    data["datasets"] = [DATASET]
    return data


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)

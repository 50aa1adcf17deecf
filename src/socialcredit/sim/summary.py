"""Totals of a run, per variant: what went in and out of each list, measures, reach, errors,
blocked purchases and the days from performance to lifting."""

from __future__ import annotations

import statistics
from typing import Any

from socialcredit.sim.run import SimConfig, VariantResult


def _column_sum(result: VariantResult, prefix: str) -> dict[str, int]:
    totals: dict[str, int] = {}
    for column in result.columns:
        if column.startswith(prefix):
            totals[column.removeprefix(prefix)] = sum(int(r[column]) for r in result.rows)  # type: ignore[call-overload]
    return totals


def _lists(result: VariantResult) -> list[str]:
    return [c.removeprefix("listed:") for c in result.columns if c.startswith("listed:")]


def _peak(result: VariantResult, column: str) -> int:
    return max((int(r[column]) for r in result.rows), default=0)  # type: ignore[call-overload]


def lifting(days: list[int]) -> dict[str, float | int | None]:
    """Count, mean, median and 90th percentile of days from performance to lifting."""
    if not days:
        return {"count": 0, "mean": None, "median": None, "p90": None}
    ordered = sorted(days)
    return {
        "count": len(ordered),
        "mean": round(statistics.fmean(ordered), 1),
        "median": float(statistics.median(ordered)),
        "p90": ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))],
    }


def variant_summary(result: VariantResult) -> dict[str, Any]:
    """The totals of one variant, ready for JSON."""
    last = result.rows[-1] if result.rows else {}
    stocks = result.stocks
    return {
        "variant": result.variant.name,
        "overrides": {
            "parameters": result.variant.parameters,
            "versions": {k: v.isoformat() for k, v in result.variant.versions.items()},
            "rates": result.variant.rates,
        },
        "listed_at_start": {x: result.stocks.opening[x] for x in _lists(result)},
        "entries_in": _column_sum(result, "in:"),
        "entries_out": _column_sum(result, "out:"),
        "listed_at_end": {
            k.removeprefix("listed:"): v for k, v in last.items() if k.startswith("listed:")
        },
        "listed_at_end_recounted": {x: result.recounted.get(x, 0) for x in _lists(result)},
        "conservation_holds": stocks.conservation_holds(result.recounted),
        "measures_at_end": {
            k.removeprefix("measures:"): v for k, v in last.items() if k.startswith("measures:")
        },
        "peak_subjects_under_measures": _peak(result, "subjects_under_measures"),
        "peak_collateral_persons": _peak(result, "collateral_persons"),
        "collateral_persons_at_end_by_role": result.collateral_by_role,
        "peak_wrongful_measures": _peak(result, "wrongful_measures"),
        "peak_wrongfully_affected_subjects": _peak(result, "wrongfully_affected_subjects"),
        "wrongful_records": len(result.journal.wrongful),
        "objections": result.journal.objections,
        "purchases": {
            c: sum(int(r[c]) for r in result.rows)  # type: ignore[call-overload]
            for c in ("flight_attempts", "flights_blocked", "rail_attempts", "rail_blocked")
        },
        "performances": dict(sorted(result.journal.performances.items())),
        "days_from_performance_to_lifting": {
            list_id: lifting(days) for list_id, days in sorted(stocks.lifting_days.items())
        },
        "performed_but_still_listed_at_end": result.still_listed.get("performed", 0),
        "corrected_but_still_listed_at_end": result.still_listed.get("corrected", 0),
        "records": result.records,
        "subjects_in_facts": result.subjects,
        "engine_evaluations": result.evaluations,
        "seconds": round(result.seconds, 2),
    }


def run_summary(config: SimConfig, results: list[VariantResult]) -> dict[str, Any]:
    """The whole run: its settings, the rates used, and each variant's totals."""
    return {
        "packs": list(config.packs),
        "persons": config.persons,
        "orgs": config.orgs,
        "start": config.start.isoformat(),
        "end": config.end.isoformat(),
        "seed": config.seed,
        "rates": config.rates.as_dict(),
        "variants": [variant_summary(r) for r in results],
    }


def summary_markdown(summary: dict[str, Any]) -> str:
    """A short report comparing the variants side by side."""
    variants = summary["variants"]
    names = [v["variant"] for v in variants]
    lines = [
        "# Simulation summary",
        "",
        f"Packs: {', '.join(summary['packs'])}. Nation: {summary['persons']:,} persons, "
        f"{summary['orgs']:,} organisations; {summary['start']} to {summary['end']}; "
        f"seed {summary['seed']}.",
        "",
        "| figure | " + " | ".join(names) + " |",
        "| --- | " + " | ".join("---:" for _ in names) + " |",
    ]
    for label, getter in [*_list_rows(variants), *_ROWS]:
        values = [getter(v) for v in variants]
        if any(v is not None for v in values):
            lines.append(f"| {label} | " + " | ".join(_cell(v) for v in values) + " |")
    lines += ["", "Overrides:", ""]
    for v in variants:
        lines.append(f"- **{v['variant']}**: {_overrides(v['overrides'])}")
    lines += ["", "Charts: list_sizes.png, measures_by_domain.png, blocked_purchases.png.", ""]
    return "\n".join(lines)


def _overrides(overrides: dict[str, Any]) -> str:
    parts = [
        f"{p}.{k}={v}" for p, values in overrides["parameters"].items() for k, v in values.items()
    ]
    parts += [f"version.{k}={v}" for k, v in overrides["versions"].items()]
    parts += [f"sim.{k}={v}" for k, v in overrides["rates"].items()]
    return ", ".join(parts) or "none"


def _cell(value: object) -> str:
    if value is None:
        return "-"
    return f"{value:,}" if isinstance(value, int) else str(value)


_STOCK_AND_FLOWS = ("listed_at_start", "entries_in", "entries_out", "listed_at_end")


def _list_rows(variants: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    """Listed at the start, entries in, entries out and listed at the end for every list
    with any of them non-zero in any variant."""
    used = sorted({x for v in variants for key in _STOCK_AND_FLOWS for x, n in v[key].items() if n})
    rows: list[tuple[str, Any]] = []
    for list_id in used:
        rows += [
            (f"listed at start, {list_id}", _getter("listed_at_start", list_id)),
            (f"entries in, {list_id}", _getter("entries_in", list_id)),
            (f"entries out, {list_id}", _getter("entries_out", list_id)),
            (f"listed at end, {list_id}", _getter("listed_at_end", list_id)),
        ]
    return rows


def _getter(key: str, list_id: str) -> Any:
    return lambda v: v[key].get(list_id, 0)


def _role(role: str) -> Any:
    return lambda v: v["collateral_persons_at_end_by_role"].get(role, 0)


def _lifting(list_id: str, stat: str) -> Any:
    return lambda v: v["days_from_performance_to_lifting"].get(list_id, {}).get(stat)


_ROWS: list[tuple[str, Any]] = [
    ("measures in force at end", lambda v: sum(v["measures_at_end"].values())),
    ("peak subjects under measures", lambda v: v["peak_subjects_under_measures"]),
    ("peak persons reached collaterally", lambda v: v["peak_collateral_persons"]),
    *(
        (f"reached collaterally at end, as {role}", _role(role))
        for role in ("legal_representative", "principal", "actual_controller")
    ),
    ("flight purchases blocked", lambda v: v["purchases"]["flights_blocked"]),
    ("G-train purchases blocked", lambda v: v["purchases"]["rail_blocked"]),
    ("wrongful records (and the records that follow them)", lambda v: v["wrongful_records"]),
    ("peak wrongful measures", lambda v: v["peak_wrongful_measures"]),
    *(
        (f"days performance to lifting, {stat}, {short}", _lifting(list_id, stat))
        for list_id, short in (
            ("dishonest-judgment-debtors", "dishonest debtors"),
            ("consumption-restricted-debtors", "consumption restricted"),
            ("publicised-administrative-penalties", "publicised penalties"),
        )
        for stat in ("count", "median", "p90")
    ),
    ("performed but still listed at end", lambda v: v["performed_but_still_listed_at_end"]),
    ("corrected but still listed at end", lambda v: v["corrected_but_still_listed_at_end"]),
    (
        "start + in - out = end, recounted from the standings",
        lambda v: "holds" if v["conservation_holds"] else "FAILS",
    ),
    ("engine evaluations", lambda v: v["engine_evaluations"]),
]

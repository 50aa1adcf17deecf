"""Whether a region written in a counterparty file agrees with a subject's division code.

A region may be written as a division code or its prefix (``11``, ``1101``, ``110105``) or as
names (``北京市朝阳区``, ``北京``, ``朝阳区``). Names are those of python-stdnum's table of
divisions (province and county), compared without their administrative suffix.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from stdnum import numdb

_SPAN = re.compile(r"^\[[^\]]*\]")
SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县",
            "特别行政区", "省", "市", "区", "县", "旗", "盟", "地区")  # fmt: skip


@cache
def division_names(code: str) -> tuple[str, ...]:
    """The province and county names of a division code (empty when unknown)."""
    names: list[str] = []
    for _, props in numdb.get("cn/loc").info(code[:6]):
        for key in ("province", "prefecture", "county"):
            if key in props:
                names.append(_SPAN.sub("", props[key]).strip())
    return tuple(n for n in names if n)


def _bare(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def region_agrees(written: str, code: str | None) -> tuple[bool, str]:
    """(agrees, why) for a region as written against a subject's division code."""
    text = unicodedata.normalize("NFKC", written).strip().replace(" ", "")
    if not code:
        return False, "the listed subject's region is unknown"
    if text.isdigit():
        agrees = len(text) in (2, 4, 6) and code.startswith(text)
        verb = "agrees with" if agrees else "differs from"
        return agrees, f"region {text} {verb} the subject's division {code}"
    names = division_names(code)
    label = " ".join(names) or "no name in the table"
    for name in names:
        bare = _bare(name)
        if bare in text or (len(text) >= 2 and _bare(text) in name):
            return True, f"region {written!r} agrees with the subject's {code} ({label})"
    return False, f"region {written!r} differs from the subject's {code} ({label})"

"""Administrative divisions from python-stdnum's own table (``stdnum/cn/loc.dat``).

Only county-level divisions that still exist are used. stdnum records when each code was
assigned (``[1983-]保定市``); a resident ID number is valid only when its birth year falls
within that span, so a person is placed in a division that existed in his birth year.
"""

from __future__ import annotations

import bisect
import random
import re
from dataclasses import dataclass
from functools import cache

from stdnum import numdb

# Province abbreviations used in court case numbers, keyed by the first two digits of the
# division code. Taiwan (71), Hong Kong (81) and Macao (82) have no people's courts and
# are left out.
PROVINCE_ABBREVIATIONS = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "内", "21": "辽", "22": "吉",
    "23": "黑", "31": "沪", "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣",
    "37": "鲁", "41": "豫", "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼",
    "50": "渝", "51": "川", "52": "黔", "53": "云", "54": "藏", "61": "陕", "62": "甘",
    "63": "青", "64": "宁", "65": "新",
}  # fmt: skip
MUNICIPALITIES = ("11", "12", "31", "50")
_SPAN = re.compile(r"^\[(\d*)-(\d*)\](.*)$")


@dataclass(frozen=True, slots=True)
class Region:
    """A county-level division: its code, the year it was assigned, and its names."""

    code: str
    since: int
    county: str
    city: str

    @property
    def abbreviation(self) -> str:
        """The province's one-character abbreviation, as in case numbers."""
        return PROVINCE_ABBREVIATIONS[self.code[:2]]

    @property
    def court(self) -> str:
        """The basic people's court of the division, e.g. 北京市朝阳区人民法院."""
        if self.county.endswith("区") and self.city:
            return f"{self.city}{self.county}人民法院"
        return f"{self.county}人民法院"

    @property
    def short_city(self) -> str:
        """The city name as it starts a company name (北京, 杭州), or the county's name."""
        name = self.city or self.county
        return name[:-1] if name.endswith(("市", "县")) and len(name) > 2 else name


def _current_name(raw: str) -> tuple[str, int] | None:
    """The current name and its first year, or None for a division that no longer exists."""
    last = raw.split(",")[-1]
    match = _SPAN.match(last)
    if match is None:
        return last, 0
    first, until, name = match.groups()
    if until:
        return None
    return name, int(first or 0)


def _city_name(province: str, code: str, names: dict[str, str]) -> str:
    """The name of the city a county belongs to ('' when it belongs to no city)."""
    if code[:2] in MUNICIPALITIES:
        return province
    city = names.get(code[2:4] + "00", "")  # code is the full six digits
    return "" if "直辖" in city else city


@cache
def regions() -> tuple[Region, ...]:
    """Every existing county-level division, ordered by the year assigned, then by code."""
    found: list[Region] = []
    for _, province_code, _, props, children in numdb.get("cn/loc").prefixes:
        if province_code not in PROVINCE_ABBREVIATIONS:
            continue
        names = {}
        for _, low, _, child_props, _ in children:
            current = _current_name(child_props.get("county", ""))
            if current is not None:
                names[low] = current[0]
        for _, low, _, child_props, _ in children:
            current = _current_name(child_props.get("county", ""))
            if current is None or low.endswith("00") or current[0] in ("市辖区", "县"):
                continue
            code = province_code + low
            found.append(
                Region(code, current[1], current[0], _city_name(props["province"], code, names))
            )
    return tuple(sorted(found, key=lambda r: (r.since, r.code)))


@cache
def _since_years() -> tuple[int, ...]:
    return tuple(r.since for r in regions())


def pick_region(rng: random.Random, birth_year: int | None = None) -> Region:
    """A division chosen uniformly among those that existed in ``birth_year`` (or now)."""
    pool = regions()
    size = len(pool) if birth_year is None else bisect.bisect_right(_since_years(), birth_year)
    return pool[rng.randrange(size)]

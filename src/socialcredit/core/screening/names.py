"""Names as screening compares them.

A name is NFKC-normalised (full-width letters and brackets become ordinary ones), then
normalised by ``rigour.names.normalize_name`` (case folded, punctuation dropped), spaces
are removed from a name with Chinese characters, and an organisation's legal form (有限公司, Co.
Ltd. ...) is set apart: two names are compared on what remains, with ``rapidfuzz``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz
from rigour.names import normalize_name, remove_org_types

# Chinese legal forms, longest first; rigour's table finds them only as separate words.
LEGAL_FORMS = (
    "股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团公司", "合伙企业",
    "个体工商户", "公司",
)  # fmt: skip
_CJK = r"\u3400-\u9fff\U00020000-\U0002ffff"
_HAS_CJK = re.compile(rf"[{_CJK}]")


@dataclass(frozen=True)
class NormalName:
    """A name as written, its normal form, and the part compared (without legal form)."""

    written: str
    normal: str
    core: str


def normal_name(name: str) -> NormalName:
    """The normal and core forms of ``name``."""
    text = unicodedata.normalize("NFKC", name)
    normal = normalize_name(text) or ""
    if _HAS_CJK.search(normal):  # spaces in a Chinese name are layout, not word breaks
        normal = "".join(normal.split())
    core = normal
    for form in LEGAL_FORMS:
        if core.endswith(form) and len(core) > len(form):
            core = core[: -len(form)]
            break
    else:
        core = remove_org_types(core).strip() or core
    return NormalName(name, normal, " ".join(core.split()))


def similarity(a: NormalName, b: NormalName) -> float:
    """How alike two names are, 0 to 1: rapidfuzz's ratio of their core forms."""
    if not a.core or not b.core:
        return 0.0
    return float(fuzz.ratio(a.core, b.core)) / 100.0

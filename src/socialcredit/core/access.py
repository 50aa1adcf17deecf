"""Who may see and do what: principals, and the masking of identity numbers for the public.

Roles: an **agency** (scoped: categories it may submit, disclosure classes it may read,
actions it may decide), the **public** (public-disclosure data only, identity numbers of
persons masked), a **subject** (his own file and access log), an **auditor** (every file and
the audit log, read-only) and an **administrator** (keys).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from socialcredit.core.identifiers import looks_like_person

Role = Literal["agency", "public", "subject", "auditor", "admin"]
ROLES: tuple[Role, ...] = ("agency", "public", "subject", "auditor", "admin")
DISCLOSURES = ("public", "shared", "restricted")


@dataclass(frozen=True)
class Principal:
    key_id: str
    role: Role
    name: str
    agency: str | None = None
    subject: str | None = None
    categories: frozenset[str] = field(default_factory=frozenset)
    disclosures: frozenset[str] = field(default_factory=frozenset)
    actions: frozenset[str] = field(default_factory=frozenset)

    @property
    def actor(self) -> str:
        return f"{self.role}:{self.name}"

    def may_read(self, disclosure: str, subject_id: str) -> bool:
        """May this principal read a record of that disclosure class about that subject?

        An agency key reads exactly the classes its scope names, its own agency's records
        included: a key scoped to ``public`` does not read its agency's restricted records
        (an agency that needs them asks for a key whose scope names ``restricted``)."""
        if self.role in ("auditor", "admin"):
            return True
        if self.role == "subject":
            return subject_id == self.subject
        if self.role == "public":
            return disclosure == "public"
        return disclosure in self.disclosures

    def may_submit(self, category: str) -> bool:
        return self.role == "agency" and (category in self.categories or "*" in self.categories)

    def may_decide(self, action: str, subject_id: str) -> bool:
        if self.role in ("auditor", "admin"):
            return True
        if self.role == "subject":
            return subject_id == self.subject
        if self.role == "agency":
            return action in self.actions or "*" in self.actions
        return False

    def masks_identities(self) -> bool:
        return self.role == "public"


def mask_id(code: str) -> str:
    """A person's resident ID number as publicity portals show it: the birth date hidden.

    >>> mask_id("11010519491231002X")
    '110105********002X'

    An organisation's USCC is public and stays as it is, even when it is all digits.
    """
    if looks_like_person(code):
        return f"{code[:6]}{'*' * 8}{code[14:]}"
    return code


RIC_SHAPED = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")
"""Eighteen characters that may be a resident ID number, alone or inside a longer text."""


def mask_text(text: str) -> str:
    """``text`` with every resident ID number in it masked (``mask_id``), wherever it stands:
    a whole value, or inside a sentence, a document number or a composite key.

    >>> mask_text("entry of 11010519491231002X (court)")
    'entry of 110105********002X (court)'
    """
    return RIC_SHAPED.sub(lambda found: mask_id(found.group(0)), text)


def mask_identities(value: Any) -> Any:
    """The one masking rule of every public answer: ``value`` with every person's identity
    number masked in every string at any depth (dict keys and values, lists, tuples).

    It goes by the value, not by the field's name, so a field added later (a trigger's
    subject, a related person in a payload, an id quoted in a reason) is masked too."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {mask_identities(k): mask_identities(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(mask_identities(v) for v in value)
    return value

"""Who may see and do what: principals, and the masking of identity numbers for the public.

Roles: an **agency** (scoped: categories it may submit, disclosure classes it may read,
actions it may decide), the **public** (public-disclosure data only, identity numbers of
persons masked), a **subject** (his own file and access log), an **auditor** (every file and
the audit log, read-only) and an **administrator** (keys).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

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

    def may_read(self, disclosure: str, subject_id: str, source_agency: str | None = None) -> bool:
        """May this principal read a record of that disclosure class about that subject?"""
        if self.role in ("auditor", "admin"):
            return True
        if self.role == "subject":
            return subject_id == self.subject
        if self.role == "public":
            return disclosure == "public"
        own = source_agency is not None and source_agency == self.agency
        return disclosure in self.disclosures or own

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

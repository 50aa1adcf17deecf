"""Public wording of a rule: what a member of the public reads, in Chinese and English,
apart from the pack's research notes (``reason``, ``description``, ``discretion``).

One shape everywhere it may appear (a list version, a measure, a removal condition)::

    public:
      zh: 执行法院在{case.doc_no}号案件中认定被执行人{case.ground}……
      en: In enforcement case {case.doc_no} the court found that the debtor {case.ground}...
      terms:                       # optional: words for coded values in the placeholders
        ground:
          evades: {zh: 以隐匿、转移财产等方法规避执行, en: evaded enforcement ...}

Placeholders ``{alias.field}`` are filled from the record behind the entry; a field named
under ``terms`` is written with its words in the page's language instead of its code.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

LANGUAGES = ("zh", "en")
_NOTE = re.compile(r"\s*\((?=[^()]*(?:facts|\[[VSM?]\]))[^()]*\)")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)\}")
Text = Field(min_length=1, max_length=2000)


class Term(BaseModel):
    """One coded value in words."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    zh: str = Text
    en: str = Text


class PublicWording(BaseModel):
    """The rule in plain words for the public, in both languages (both required)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    zh: str = Text
    en: str = Text
    terms: dict[str, dict[str, Term]] = Field(
        default={}, description="field -> code -> words, for coded values in placeholders"
    )

    @model_validator(mode="after")
    def _same_placeholders(self) -> PublicWording:
        zh, en = set(_PLACEHOLDER.findall(self.zh)), set(_PLACEHOLDER.findall(self.en))
        if zh != en:
            missing = sorted(f"{{{a}.{f}}}" for a, f in zh ^ en)
            raise ValueError(f"zh and en must fill the same placeholders; differ in {missing}")
        return self

    def fields(self) -> set[tuple[str, str]]:
        """The placeholders used, as (alias, field) pairs."""
        return set(_PLACEHOLDER.findall(self.en))

    def filled(self, scopes: dict[str, Any] | None = None) -> dict[str, str]:
        """Both languages with the placeholders filled from ``scopes`` (alias -> values)."""
        return {lang: self._fill(lang, scopes or {}) for lang in LANGUAGES}

    def _fill(self, lang: str, scopes: dict[str, Any]) -> str:
        def value(match: re.Match[str]) -> str:
            scope = scopes.get(match.group(1))
            found = scope.get(match.group(2)) if isinstance(scope, dict) else None
            if found is None:
                return "?"
            term = self.terms.get(match.group(2), {}).get(str(found))
            return getattr(term, lang) if term is not None else str(found)

        return " ".join(_PLACEHOLDER.sub(value, getattr(self, lang)).split())


def split_note(provision: object) -> tuple[str, str]:
    """A cited provision split into what a reader is shown (``art. 3(1)``) and the pack's
    research note about it (``(no article number in the facts file)``), kept apart."""
    text = "" if provision is None else str(provision)
    notes = [m.group(0).strip() for m in _NOTE.finditer(text)]
    return _NOTE.sub("", text).strip(), " ".join(notes)


_NOTE_IN_PARENS = re.compile(r"\s*\((?=[^()]*(?:facts|assumed|\[[VSM?]\]))[^()]*\)")
_TAG = re.compile(r"\s*\[[VSM?]\]")
# A research note: the facts file, an assumption, the pack's own reading, a confidence tag,
# or a reference to another rule by its id ("reach as for no-flights").
_NOTE_WORDS = re.compile(
    r"facts|assumed|the pack's reading|the pack reads|\[[VSM?]\]|\bas for [a-z]+(?:-[a-z]+)+"
)
_SENTENCE = re.compile(r"(?<=\.)\s+(?=[A-Za-z])")


def without_notes(text: object) -> str:
    """A pack's own wording (a measure's ``description``, a list's ``reason``) as a page may
    show it to the public when the pack gives no ``public`` wording: its research notes left
    out. Notes in parentheses that cite the facts file, say "assumed" or carry a confidence
    tag go; only the first sentence is kept (the packs write the rule first and their notes
    after it), cut before a clause (after ``:`` or ``;``) that is a note or refers to another
    rule by its id, and without its tags. A heuristic (regular expressions), like
    ``split_note``; public wording is the cure.

    >>> without_notes("No listing of shares. Implementing agency assumed to be the CSRC [M].")
    'No listing of shares.'
    """
    text = _NOTE_IN_PARENS.sub("", "" if text is None else str(text))
    first = _SENTENCE.split(text.strip(), maxsplit=1)[0]
    if (note := _NOTE_WORDS.search(first)) is not None:
        cut = max(first.rfind(":", 0, note.start()), first.rfind(";", 0, note.start()))
        first = f"{first[:cut].rstrip()}." if cut > 0 else first
    return " ".join(_TAG.sub("", first).split())

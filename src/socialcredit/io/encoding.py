"""Which text encoding an agency file is in: a byte-order mark, strict UTF-8, or else what
charset-normalizer finds in the first megabyte (GBK and GB2312 are read as GB18030, which
contains them both). The answer says how it was found, so the report can tell the clerk."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

SAMPLE_BYTES = 1 << 20
# GB18030 decodes every GBK and GB2312 file the same way and also the characters they lack.
SUPERSETS = {"gbk": "gb18030", "gb2312": "gb18030", "ascii": "utf-8", "utf_8": "utf-8"}


@dataclass(frozen=True)
class Encoding:
    """A codec name Python knows, and how it was chosen (bom, utf-8, detected, mapping)."""

    codec: str
    how: str

    def describe(self) -> str:
        readable = {"utf-8-sig": "UTF-8 with BOM", "utf-8": "UTF-8"}.get(self.codec, self.codec)
        if self.how == "declared":
            return readable
        return f"{readable} ({self.how})"


def check_codec(name: str) -> str:
    """The canonical name of a codec; ValueError when Python has no such codec."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise ValueError(f"unknown encoding {name!r} (try gbk, gb18030, utf-8)") from None


def detect(path: Path) -> Encoding:
    """The encoding of ``path``, judged from its first megabyte."""
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    return detect_bytes(sample, complete=len(sample) < SAMPLE_BYTES)


def detect_bytes(sample: bytes, complete: bool = True) -> Encoding:
    """The encoding of ``sample`` (the start of a file, or all of it when ``complete``)."""
    if sample.startswith(codecs.BOM_UTF8):
        return Encoding("utf-8-sig", "byte-order mark")
    if _is_utf8(sample, complete):
        return Encoding("utf-8", "valid UTF-8")
    best = from_bytes(sample).best()
    if best is None:
        return Encoding("gb18030", "undetectable; assumed")
    codec = SUPERSETS.get(best.encoding, best.encoding)
    return Encoding(codecs.lookup(codec).name, "detected by charset-normalizer")


def _is_utf8(sample: bytes, complete: bool) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=complete)  # a cut at the end of a sample is no error
    except UnicodeDecodeError:
        return False
    return True


def not_utf8_hint(sample: bytes) -> str:
    """What a clerk should know about bytes that are not UTF-8: the encoding they look like
    (GBK and GB2312 read as GB18030) and how to send them, or "" when nothing is found."""
    found = detect_bytes(sample[:SAMPLE_BYTES], complete=len(sample) <= SAMPLE_BYTES)
    if found.codec in ("utf-8", "utf-8-sig") or found.how.startswith("undetectable"):
        return ""
    name = "GBK/GB18030" if found.codec == "gb18030" else found.codec
    return (
        f"; it looks like {name} text: convert it to UTF-8, or load the CSV file at the "
        "command line (its encoding is detected, or declared with a mapping)"
    )

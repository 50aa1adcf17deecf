"""Signed tree heads of the audit log: the size and Merkle root of the log at a moment,
signed with Ed25519, as a Certificate Transparency log signs its heads (RFC 9162 section
4.10, in a simpler encoding).

The signed message is ``b"socialcredit-audit-tree-head-v1\\x00"``, then the tree size and the
timestamp (milliseconds since 1970, UTC) as unsigned 64-bit big-endian integers, then the
32-byte root hash. A key is named by the sha256 of its 32 raw public bytes (hex).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from socialcredit.core.errors import SocialCreditError

DOMAIN = b"socialcredit-audit-tree-head-v1\x00"
FIELDS = ("tree_size", "timestamp", "root_hash", "key_id", "signature")


class TreeHeadError(SocialCreditError):
    """A tree head that cannot be read (a witness file line, a stored head)."""


@dataclass(frozen=True)
class TreeHead:
    """One signed head: ``tree_size`` entries with ``root_hash`` (hex) at ``timestamp``."""

    tree_size: int
    timestamp: int
    root_hash: str
    key_id: str
    signature: str

    def message(self) -> bytes:
        return signed_message(self.tree_size, self.timestamp, bytes.fromhex(self.root_hash))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "tree head") -> TreeHead:
        """Read a head from its dictionary form; a clear error names what is wrong."""
        missing = [f for f in FIELDS if f not in data]
        if missing:
            raise TreeHeadError(f"{where}: missing {', '.join(missing)}")
        size, stamp = data["tree_size"], data["timestamp"]
        if not isinstance(size, int) or not isinstance(stamp, int) or size < 0 or stamp < 0:
            raise TreeHeadError(f"{where}: tree_size and timestamp must be whole numbers >= 0")
        texts = {f: data[f] for f in ("root_hash", "key_id", "signature")}
        for name, length in (("root_hash", 64), ("key_id", 64), ("signature", 128)):
            if not _is_hex(texts[name], length):
                raise TreeHeadError(f"{where}: {name} must be {length} hexadecimal digits")
        return cls(size, stamp, texts["root_hash"], texts["key_id"], texts["signature"])


def _is_hex(value: object, length: int) -> bool:
    return (
        isinstance(value, str)
        and len(value) == length
        and all(c in "0123456789abcdef" for c in value)
    )


def signed_message(tree_size: int, timestamp: int, root: bytes) -> bytes:
    """The bytes a head's signature covers."""
    return DOMAIN + tree_size.to_bytes(8, "big") + timestamp.to_bytes(8, "big") + root


def key_id(public_key: Ed25519PublicKey) -> str:
    """The sha256 (hex) of the key's 32 raw public bytes."""
    return hashlib.sha256(public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)).hexdigest()


def sign(key: Ed25519PrivateKey, tree_size: int, timestamp: int, root: bytes) -> TreeHead:
    """A head for a tree of ``tree_size`` entries with ``root``, signed with ``key``."""
    signature = key.sign(signed_message(tree_size, timestamp, root))
    return TreeHead(tree_size, timestamp, root.hex(), key_id(key.public_key()), signature.hex())


def signature_problem(head: TreeHead, public_key: Ed25519PublicKey) -> str | None:
    """None when ``head`` is signed by ``public_key``; else what is wrong, in words."""
    if head.key_id != key_id(public_key):
        return f"head of size {head.tree_size}: signed by another key ({head.key_id[:16]}...)"
    try:
        public_key.verify(bytes.fromhex(head.signature), head.message())
    except InvalidSignature:
        return f"head of size {head.tree_size}: signature does not verify (forged or altered)"
    return None

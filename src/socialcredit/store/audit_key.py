"""The Ed25519 key that signs the audit log's tree heads: a PEM file outside the database.

Someone who can write to the database cannot forge a head without this file, so it must not
live where the database's administrators can read it (docs/audit-log.md). ``init`` creates
it, readable by its owner only (mode 600, in a folder of mode 700 when it makes the folder);
a key that others may read is refused.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
    load_pem_public_key,
)

from socialcredit.core.errors import SocialCreditError


class AuditKeyError(SocialCreditError):
    """A signing key that is missing, unreadable, exposed or not Ed25519."""


def ensure_key(path: Path) -> bool:
    """Create the key at ``path`` if there is none; True when it was created."""
    if path.exists():
        load_private_key(path)  # says at once if it is unusable
        return False
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    pem = Ed25519PrivateKey.generate().private_bytes(
        Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
    )
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:
        raise AuditKeyError(
            f"{path}: cannot create the audit signing key: {error.strerror}"
        ) from None
    with os.fdopen(fd, "wb") as file:
        file.write(pem)
    return True


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """The signing key at ``path``; refused if missing, readable by others, or not Ed25519."""
    data = _read(path)
    if os.name == "posix" and stat.S_IMODE(path.stat().st_mode) & 0o077:
        raise AuditKeyError(
            f"{path}: the audit signing key may be read by others; run: chmod 600 {path}"
        )
    try:
        key = load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as error:
        raise AuditKeyError(f"{path}: not an unencrypted PEM private key ({error})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise AuditKeyError(f"{path}: the audit signing key must be Ed25519")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """The public key in ``path`` (a PEM public key, or the private key itself)."""
    data = _read(path)
    if b"PRIVATE KEY" in data:
        return load_private_key(path).public_key()
    try:
        key = load_pem_public_key(data)
    except ValueError as error:
        raise AuditKeyError(f"{path}: not a PEM public key ({error})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise AuditKeyError(f"{path}: the audit key must be Ed25519")
    return key


def public_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise AuditKeyError(
            f"{path}: no audit signing key (run `socialcredit init`, or set "
            "SOCIALCREDIT_AUDIT_KEY to its file)"
        ) from None
    except OSError as error:
        raise AuditKeyError(f"{path}: cannot read the audit key: {error.strerror}") from None

"""``socialcredit audit-log``: seal, sign, verify and prove the tamper-evident audit log.

The signing key is a file outside the database (SOCIALCREDIT_AUDIT_KEY; docs/audit-log.md);
signed heads go to the store, the feed and the witness file (SOCIALCREDIT_AUDIT_WITNESS).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import typer

from socialcredit.cli.common import (
    DbOption,
    JsonOption,
    console,
    domain_errors,
    errors,
    print_json,
)
from socialcredit.cli.common import store as open_store
from socialcredit.services.access.audit_trail import (
    consistency,
    ensure_key,
    inclusion,
    load_private_key,
    load_public_key,
    public_pem,
    read_witness,
    sign_head,
    verify_log,
)
from socialcredit.services.access.audit_trail import seal as seal_pending
from socialcredit.settings import audit_key_path, audit_witness_path, database_url

audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)

KeyOption = typer.Option(
    None, "--key", help="The signing key (PEM) [default: SOCIALCREDIT_AUDIT_KEY, or by the store]"
)
WitnessOption = typer.Option(
    None,
    "--witness",
    help="The witness file of signed heads [default: SOCIALCREDIT_AUDIT_WITNESS, or by the key]",
)


def _url(db: str | None) -> str:
    return db or database_url()


def _witness(db: str | None, witness: Path | None) -> Path:
    return witness or audit_witness_path(_url(db))


def ensure_audit_key(url: str) -> None:
    """Create the signing key for the store at ``url`` if it has none, and say where it is."""
    path = audit_key_path(url)
    with domain_errors():
        created = ensure_key(path)
    console.print(f"audit signing key {'created' if created else 'found'}: {path}", soft_wrap=True)


@audit_app.command("verify")
def verify(
    db: str = DbOption,
    key: Path = typer.Option(
        None, "--key", help="The public key (or the signing key) [default: as for sign]"
    ),
    witness: Path = WitnessOption,
    as_json: bool = JsonOption,
) -> None:
    """Check the chain, every signed head (the store's and the witness file's) and that the
    entries still hash to each; exit 1 and name every problem."""
    with domain_errors():
        engine = open_store(db)
        key_path = key or audit_key_path(_url(db))
        public = load_public_key(key_path) if key or key_path.exists() else None
        witnessed = read_witness(_witness(db, witness))
        with engine.begin() as conn:
            seal_pending(conn)
        with engine.connect() as conn:
            report = verify_log(conn, public, witnessed)
    if as_json:
        print_json(report)
    for problem in report["problems"]:
        errors.print(f"[red]{problem}[/]", highlight=False, soft_wrap=True)
    if report["problems"]:
        raise typer.Exit(1)
    if not as_json:
        _say_intact(report, None if public is None else key_path)


def _say_intact(report: dict[str, Any], key_path: Path | None) -> None:
    console.print(
        f"audit log intact: {report['entries']} entries, {report['heads']} signed heads "
        f"({report['witnessed']} witnessed); the last head covers {report['covered']}",
        soft_wrap=True,
    )
    if key_path is None:
        errors.print(
            "no audit key and no signed head: only the chain was checked "
            "(`socialcredit init` creates the key, `audit-log sign` signs a head)",
            soft_wrap=True,
        )
    elif report["covered"] < report["entries"]:
        errors.print(
            f"{report['entries'] - report['covered']} entries after the last signed head "
            "are protected by the chain only until the next `audit-log sign`",
            soft_wrap=True,
        )


@audit_app.command("seal")
def seal(db: str = DbOption) -> None:
    """Seal entries still pending into the chain and the Merkle tree."""
    with domain_errors():
        engine = open_store(db)
        with engine.begin() as conn:
            done = seal_pending(conn)
    console.print(f"sealed {done} entries")


@audit_app.command("sign")
def sign(
    db: str = DbOption,
    key: Path = KeyOption,
    witness: Path = WitnessOption,
    every: float = typer.Option(
        0, "--every", min=0, help="Keep signing every this many seconds (0: once)"
    ),
) -> None:
    """Sign the log's current tree head: store it, publish it in the feed and append it to
    the witness file. Refuses if the log no longer extends the last signed head."""
    with domain_errors():
        engine = open_store(db)
        private = load_private_key(key or audit_key_path(_url(db)))
        target = _witness(db, witness)
        while True:
            head = sign_head(engine, private, target)
            console.print(
                f"head of {head.tree_size} entries, root {head.root_hash} (witness file {target})",
                soft_wrap=True,
            )
            if not every:
                return
            time.sleep(every)


@audit_app.command("prove")
def prove(
    seq: int = typer.Argument(..., help="The entry's sequence number"),
    tree_size: int = typer.Option(
        None, "--tree-size", help="The tree to prove it in [default: the last signed head]"
    ),
    db: str = DbOption,
) -> None:
    """Print the inclusion proof (RFC 9162) of one entry, as JSON."""
    with domain_errors():
        engine = open_store(db)
        with engine.connect() as conn:
            print_json(inclusion(conn, seq, tree_size))


@audit_app.command("consistency")
def consistency_(
    first: int = typer.Argument(..., help="The earlier tree size"),
    second: int = typer.Argument(None, help="The later tree size [default: the last head]"),
    db: str = DbOption,
) -> None:
    """Print the consistency proof (RFC 9162) between two tree sizes, as JSON."""
    with domain_errors():
        engine = open_store(db)
        with engine.connect() as conn:
            print_json(consistency(conn, first, second))


@audit_app.command("public-key")
def public_key(db: str = DbOption, key: Path = KeyOption) -> None:
    """Print the public key that verifies the heads (PEM), for witnesses."""
    with domain_errors():
        console.print(public_pem(load_public_key(key or audit_key_path(_url(db)))), end="")

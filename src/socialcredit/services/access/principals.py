"""The principal of a local command: whoever runs the command line on the machine that holds
the database may already read and write all of it, so it acts as an administrator, named
after the operating-system user so that the audit log says who it was."""

from __future__ import annotations

import getpass

from socialcredit.core.access import Principal


def cli_principal() -> Principal:
    """The caller of a ``socialcredit`` command: actor ``admin:cli <user>`` in the audit log."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        user = "unknown"
    return Principal(key_id="cli", role="admin", name=f"cli {user}")


PORTAL_PUBLIC = Principal(key_id="portal", role="public", name="web portal")
"""The caller of the portal's public pages (nobody signed in)."""

"""Whose history a page shows: the signed-in user where Streamlit's authentication is
configured, else this browser session (an unguessable id carried in the page URL, so a
reload keeps it and another browser never shares it)."""

from __future__ import annotations

import re
import uuid

_SESSION_ID = re.compile(r"^[0-9a-f]{32}$")


def new_id() -> str:
    return uuid.uuid4().hex


def valid_id(value) -> str | None:
    """`value` when it is an id we could have made (32 hex digits), else None."""
    v = value[0] if isinstance(value, (list, tuple)) and value else value
    return v if isinstance(v, str) and _SESSION_ID.match(v) else None


def owner_key(session_id: str, user_email: str | None = None, user_sub: str | None = None) -> str:
    """The history owner: "user:<email or subject>" when signed in, else "session:<id>"."""
    who = (user_email or user_sub or "").strip().lower()
    return f"user:{who}" if who else f"session:{session_id}"

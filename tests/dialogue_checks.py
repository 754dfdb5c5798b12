"""How the dialogue tests read a conversation: each turn interpreted after the ones before it
(anpo.conversation.interpret), an unlinked turn leaving the context as it was."""

from __future__ import annotations

from anpo.conversation import Context, interpret


def read(turns, tables):
    """The reading of the last turn after the others."""
    ctx, r = Context(), None
    for t in turns:
        r = interpret(t, ctx, tables)
        if r.kind != "unlinked":
            ctx = r.context
    return r

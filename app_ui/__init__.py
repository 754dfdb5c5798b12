"""The app's UI layer next to `app.py`: strings in two languages (`text`), display helpers
that turn untrusted strings into safe text or escaped HTML (`render`), error messages per
language (`messages`), the upload and drafting form glue (`uploads`, `draftform`) and who
the history belongs to (`identity`).  Only `app.py` imports Streamlit; these modules are pure
and tested without it."""

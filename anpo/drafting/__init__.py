"""Drafted documents for one company: an internal export-control rule (輸出管理内部規程, CP)
and an advisor's visit brief, both tailored by a company profile (YAML, see CONTRACT.md).

- `profile`: the profile, parsed and checked (`load_profile`, `parse_profile`).
- `grounds`: what a draft cites, over three narrow inputs (chunks, retrieve, tables).
- `cp`, `brief`: one module per document; `forms`: the CP's fill-in forms.
- `common`: `DraftDoc`, `DraftSection`, citation numbering and `check_draft`.

`draft_cp(profile, grounds_or_assistant)` and `draft_brief(...)` accept a `Grounds` or, as an
adapter for the CLI and app, an assistant.
"""

from anpo.drafting.brief import draft_brief
from anpo.drafting.common import DraftDoc, DraftSection, check_draft
from anpo.drafting.cp import draft_cp
from anpo.drafting.grounds import Grounds
from anpo.drafting.profile import CompanyProfile, Product, load_profile, parse_profile

__all__ = ["CompanyProfile", "DraftDoc", "DraftSection", "Grounds", "Product", "check_draft", "draft_brief",
           "draft_cp", "load_profile", "parse_profile"]

"""Glue between the app's drafting screens and `anpo.drafting`: the profile form's fields
as the mapping `parse_profile` reads, and a seminar question list read and answered."""

from __future__ import annotations

from typing import Callable, Sequence

from anpo.models import Answer
from anpo.service import parse_questions


def profile_data(company: str, industry: str = "", employees: int | None = None, products: str = "",
                 exports_to: str = "", list_goods: str = "unknown", technology_transfer: bool = False,
                 foreign_staff: bool = False, overseas_subsidiaries: str = "", has_cp: bool = False,
                 officer: str = "") -> dict:
    """The form's values as a profile mapping.  `products` has one product a line,
    "name: description" or just the name."""
    items = []
    for line in (products or "").splitlines():
        name, sep, desc = line.replace("：", ":").partition(":")
        if name.strip():
            items.append({"name": name.strip(), "description": desc.strip()} if sep else name.strip())
    return {"company": company, "industry": industry, "employees": employees, "products": items,
            "exports_to": exports_to, "list_goods": list_goods, "technology_transfer": technology_transfer,
            "foreign_staff": foreign_staff, "overseas_subsidiaries": overseas_subsidiaries, "has_cp": has_cp,
            "officer": officer}


def read_questions(data: bytes) -> list[str]:
    """An uploaded question list, read as `anpo batch` reads its file."""
    return parse_questions(data.decode("utf-8-sig", errors="replace"))


def answer_all(assistant, questions: Sequence[str],
               progress: Callable[[int, int], None] | None = None) -> list[Answer]:
    """The handout's answers: the core batch path, with the app's two-argument progress."""
    return assistant.answer_batch(questions, progress=(lambda d, t, _label: progress(d, t)) if progress else
                                  (lambda *a: None))

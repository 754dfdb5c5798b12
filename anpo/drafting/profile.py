"""The company profile a draft is tailored to (YAML; fields in CONTRACT.md).

`load_profile(path)` and `parse_profile(mapping)` return a frozen `CompanyProfile` or raise
`BadInputError` with one sentence naming the field and what to write instead. Unknown keys
are ignored. Numbers must be finite whole numbers (`.inf`, `.nan` are refused), and a file
nested too deeply for the YAML reader is refused rather than crashing it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from anpo.errors import BadInputError
from retrieval.textnorm import normalize, read_tsv

DATA = Path(__file__).resolve().parent.parent / "data"

SMALL_COMPANY = 60          # at or under this many employees, one person may hold several roles
MAX_EMPLOYEES = 10_000_000
MAX_PROFILE_BYTES = 1_000_000
LIST_GOODS = ("yes", "no", "unknown")
BUSINESS_TYPES = ("maker", "trader", "contract", "spinoff")
_GOODS_WORDS = {"はい": "yes", "あり": "yes", "いいえ": "no", "なし": "no", "不明": "unknown", "未確認": "unknown"}
_TRUE = ("true", "yes", "はい", "あり")
_FALSE = ("false", "no", "いいえ", "なし")


@dataclass(frozen=True)
class Product:
    name: str
    description: str = ""


@dataclass(frozen=True)
class CompanyProfile:
    company: str
    industry: str = ""
    employees: int | None = None
    products: tuple[Product, ...] = ()
    exports_to: tuple[str, ...] = ()
    list_goods: str = "unknown"             # yes | no | unknown
    technology_transfer: bool = False
    foreign_staff: bool = False
    overseas_subsidiaries: tuple[str, ...] = ()
    has_cp: bool = False
    officer: str | None = None
    business_type: str | None = None        # maker | trader | contract | spinoff; None = infer from industry

    @property
    def small(self) -> bool:
        return self.employees is not None and self.employees <= SMALL_COMPANY


def _text(data: dict, key: str, required: bool = False) -> str:
    v = data.get(key)
    if v is None or (isinstance(v, str) and not v.strip()):
        if required:
            raise BadInputError(f"profile field '{key}' is missing; give the company name, e.g. `{key}: 株式会社サンプル`")
        return ""
    if isinstance(v, (dict, list, bool)) or (isinstance(v, float) and not math.isfinite(v)):
        raise BadInputError(f"profile field '{key}' must be text")
    return str(v).strip()


def _flag(data: dict, key: str) -> bool:
    v = data.get(key)
    if v is None or isinstance(v, bool):
        return bool(v)
    s = v.strip().lower() if isinstance(v, str) else None
    if s in _TRUE or s in _FALSE:
        return s in _TRUE
    raise BadInputError(f"profile field '{key}' must be true or false")


def _names(data: dict, key: str) -> tuple[str, ...]:
    """A list of places; a single string may separate them with 、 or commas."""
    v = data.get(key)
    if v is None or v is False:
        return ()
    if isinstance(v, str):
        return tuple(s.strip() for s in re.split(r"[、,，/]", v) if s.strip())
    if isinstance(v, list) and all(isinstance(x, str) for x in v):
        return tuple(x.strip() for x in v if x.strip())
    raise BadInputError(f"profile field '{key}' must be a list of countries or regions, e.g. `{key}: [中国, タイ]`")


def _employees(data: dict) -> int | None:
    v = data.get("employees")
    if v is None:
        return None
    if isinstance(v, str) and re.fullmatch(r"\s*\d{1,9}\s*(名|人)?\s*", v):
        v = int(re.sub(r"\D", "", v))
    ok = (isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
          and 0 <= v <= MAX_EMPLOYEES and v == int(v))
    if not ok:
        raise BadInputError("profile field 'employees' must be a whole number of people, e.g. `employees: 60`")
    return int(v)


def _list_goods(data: dict) -> str:
    v = data.get("list_goods")
    if v is None or isinstance(v, bool):          # YAML reads a bare yes/no as a boolean
        return {None: "unknown", True: "yes", False: "no"}[v]
    s = str(v).strip().lower()
    s = _GOODS_WORDS.get(s, s)
    if s not in LIST_GOODS:
        raise BadInputError("profile field 'list_goods' must be yes, no or unknown")
    return s


def _business_type(data: dict) -> str | None:
    v = data.get("business_type")
    if v is None:
        return None
    s = str(v).strip().lower() if isinstance(v, str) else None
    if s not in BUSINESS_TYPES:
        raise BadInputError(f"profile field 'business_type' must be one of {', '.join(BUSINESS_TYPES)}")
    return s


def _product(i: int, p) -> Product:
    if isinstance(p, str) and p.strip():
        return Product(p.strip())
    if isinstance(p, dict) and isinstance(p.get("name"), (str, int)) and str(p["name"]).strip():
        d = p.get("description")
        if d is not None and not isinstance(d, (str, int)):
            raise BadInputError(f"profile field 'products' item {i} has a description that is not text")
        return Product(str(p["name"]).strip(), "" if d is None else str(d).strip())
    raise BadInputError(f"profile field 'products' item {i} needs a name (e.g. `- name: 高精度ボールねじ`)")


def _products(data: dict) -> tuple[Product, ...]:
    v = data.get("products")
    if v is None:
        return ()
    if not isinstance(v, list):
        raise BadInputError("profile field 'products' must be a list of items with a name and a description")
    return tuple(_product(i, p) for i, p in enumerate(v, 1))


def parse_profile(data) -> CompanyProfile:
    """A profile from already-parsed YAML (or the app's form).  Unknown keys are ignored."""
    if not isinstance(data, dict):
        raise BadInputError("the profile must be a YAML mapping with at least the field 'company'")
    subs = data.get("overseas_subsidiaries")
    return CompanyProfile(
        company=_text(data, "company", required=True),
        industry=_text(data, "industry"),
        employees=_employees(data),
        products=_products(data),
        exports_to=_names(data, "exports_to"),
        list_goods=_list_goods(data),
        technology_transfer=_flag(data, "technology_transfer"),
        foreign_staff=_flag(data, "foreign_staff"),
        overseas_subsidiaries=("海外",) if subs is True else _names(data, "overseas_subsidiaries"),
        has_cp=_flag(data, "has_cp"),
        officer=_text(data, "officer") or None,
        business_type=_business_type(data),
    )


def _read(p: Path) -> str:
    try:
        if p.stat().st_size > MAX_PROFILE_BYTES:
            raise BadInputError(f"the profile {p} is larger than {MAX_PROFILE_BYTES // 1000} kB; a profile is a short YAML file")
        return p.read_text(encoding="utf-8-sig")
    except OSError as e:                            # missing, a directory, no permission
        raise BadInputError(f"the profile {p} cannot be read ({e.strerror or e.__class__.__name__})") from e
    except UnicodeDecodeError as e:
        raise BadInputError(f"the profile {p} is not UTF-8 text; save it as UTF-8") from e


def load_profile(path) -> CompanyProfile:
    """Reads and checks a profile file; every problem is a one-sentence `BadInputError`."""
    import yaml
    p = Path(path)
    text = _read(p)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        where = getattr(e, "problem_mark", None)
        at = f" at line {where.line + 1}" if where is not None else ""
        raise BadInputError(f"the profile {p} is not valid YAML{at}; check its indentation and colons") from e
    except RecursionError as e:
        raise BadInputError(f"the profile {p} is nested too deeply; a profile is a flat list of fields") from e
    return parse_profile(data)


# ----------------------------------------------------------------- situation

@lru_cache(maxsize=8)
def read_cues(name: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A cue table in anpo/data: (label, words) rows, words separated by ' | '."""
    return tuple((r[0].strip(), tuple(w.strip() for w in r[1].split("|") if w.strip()))
                 for r in read_tsv(DATA / name) if len(r) >= 2)


def business_type(p: CompanyProfile) -> str:
    """The profile's business type, or the first type of `business_types.tsv` whose words
    occur in its industry; a maker when none does."""
    if p.business_type:
        return p.business_type
    industry = normalize(p.industry)
    for kind, words in read_cues("business_types.tsv"):
        if any(normalize(w) in industry for w in words):
            return kind
    return "maker"

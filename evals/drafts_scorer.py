"""The drafting evaluation behind `anpo eval --drafts`.

`evals/drafts/NAME.yaml` is a company profile; `NAME.expect.yaml` lists what its drafts must
and must not contain:

    cp:    {must: [[wording, other wording], ...], must_not: [[...], ...]}
    brief: {must: [...], must_not: [...]}

Each element is a list of accepted wordings (a single string is a one-wording list). An
element is present when any wording occurs in the draft's Markdown (both NFKC-normalised);
a wording starting with `re:` is a regular expression instead. A draft passes when every
`must` element is present and no `must_not` element is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

DRAFTS_DIR = Path(__file__).resolve().parent / "drafts"
KINDS = ("cp", "brief")


@dataclass(frozen=True)
class Case:
    name: str
    profile: Path
    expect: dict


def _nf(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def load_cases(directory: Path = DRAFTS_DIR) -> list[Case]:
    """Every profile in `directory` that has an `.expect.yaml` sidecar, by name."""
    import yaml
    out = []
    for exp in sorted(Path(directory).glob("*.expect.yaml")):
        name = exp.name[: -len(".expect.yaml")]
        prof = exp.with_name(f"{name}.yaml")
        if prof.exists():
            out.append(Case(name, prof, yaml.safe_load(exp.read_text(encoding="utf-8")) or {}))
    return out


def _wordings(element) -> list[str]:
    return [element] if isinstance(element, str) else [str(w) for w in element]


def present(element, text: str) -> bool:
    """Whether any accepted wording of `element` occurs in `text`."""
    t = _nf(text)
    for w in _wordings(element):
        if w.startswith("re:"):
            if re.search(w[3:], text):
                return True
        elif _nf(w) in t:
            return True
    return False


def score_text(text: str, spec: dict) -> dict:
    """Missing required elements and forbidden elements found, for one draft."""
    must = spec.get("must") or []
    must_not = spec.get("must_not") or []
    missing = [_wordings(e)[0] for e in must if not present(e, text)]
    forbidden = [_wordings(e)[0] for e in must_not if present(e, text)]
    return {"required": len(must), "found": len(must) - len(missing), "missing": missing,
            "forbidden_checked": len(must_not), "forbidden": forbidden}


def evaluate(cases: Iterable[Case], draft: Callable[[str, Path], str]) -> dict:
    """Scores each case's drafts; `draft(kind, profile_path)` returns the draft's Markdown."""
    results = []
    for case in cases:
        for kind in KINDS:
            spec = case.expect.get(kind)
            if spec:
                results.append({"profile": case.name, "kind": kind, **score_text(draft(kind, case.profile), spec)})
    req = sum(r["required"] for r in results)
    found = sum(r["found"] for r in results)
    return {"drafts": len(results), "required": req, "found": found,
            "required_pct": round(100 * found / req, 1) if req else 100.0,
            "forbidden": sum(len(r["forbidden"]) for r in results),
            "passed": sum(1 for r in results if not r["missing"] and not r["forbidden"]),
            "results": results}


def format_table(report: dict) -> str:
    lines = ["| profile | kind | required found | forbidden | missing / forbidden |", "|---|---|---|---|---|"]
    for r in report["results"]:
        issues = [f"−{m}" for m in r["missing"]] + [f"✗{f}" for f in r["forbidden"]]
        lines.append(f"| {r['profile']} | {r['kind']} | {r['found']}/{r['required']} | {len(r['forbidden'])} | "
                     f"{'、'.join(issues) or '—'} |")
    lines.append(f"\ndrafts passed {report['passed']}/{report['drafts']}; required elements "
                 f"{report['found']}/{report['required']} ({report['required_pct']} %); forbidden {report['forbidden']}")
    return "\n".join(lines)

"""The scorer behind `anpo eval`: runs evaluation questions (and dialogues) through the same
path as `anpo ask` — or scores answers produced elsewhere (`score_answers`) — and reports,
overall and per kind, per user type, per style and per language:

- answer accuracy: in-scope → grounded, every expected fact in the answer text, no forbidden
  phrasing (`must_not`), and for `lang: en` items an answer in English; out-of-scope → refused
  (grounded false); unlinkable dialogue follow-ups → the answer says it can't tell what is meant.
- lead accuracy: the answer's first sentence read as はい / いいえ / 条件次第 / none (table in
  `evals/leads.tsv`), compared with the item's `lead`; only items whose lead is not `none` count.
- unsafe: in-scope answers containing a `must_not` phrasing (e.g. 「許可は不要です」 where the
  pack says a licence or check is needed).  Must be 0.
- language accuracy: share of `lang: en` items answered in English (mostly Latin script).
- evidence recall, citation precision, doc hit, citation validity (100 % when checked),
  refusal accuracy (out-of-scope refused), false refusals (in-scope refused), p50/p95 ms.

A fact is a list of alternative strings; it is present when any alternative occurs in the
NFKC-normalised, lower-cased text.
"""

from __future__ import annotations

import json
import re
import statistics
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Callable, Iterable, Sequence

EVAL_DIR = Path(__file__).resolve().parent
KINDS = ("fact", "classification", "procedure", "case", "deal", "false_premise", "number", "multi_part",
         "out_of_scope", "adversarial", "dialogue")
USERS = ("sme", "advisor", "seminar", "foreign_staff")
LEADS = ("はい", "いいえ", "条件次第", "none")
# What an answer says when a follow-up can't be linked to the conversation (dialogue items with
# "unlinked": true).  Any one of these in the answer counts.
UNLINKED_PHRASES = ("何を指して", "どれを指して", "特定できません", "特定できませんでした", "結びつけられません",
                    "分かりませんでした", "わかりませんでした", "どの製品", "どの件", "どの取引", "具体的に教えて",
                    "具体的にお知らせ", "can't tell what", "cannot tell what", "not sure what", "which product",
                    "which one", "could you clarify", "please clarify", "please specify")
SET_NAMES = {
    "tune": ("tune",), "heldout": ("heldout",), "dev": ("dev",), "test": ("test",), "smoke": ("smoke",),
    "fresh_dev": ("fresh_dev",), "fresh_test": ("fresh_test",),
    "dialogues": ("dialogues_dev", "dialogues_test"),
    "fresh": ("fresh_dev", "fresh_test", "dialogues_fresh_dev", "dialogues_fresh_test"),
    "all": ("tune", "heldout", "dev", "test", "dialogues_dev", "dialogues_test",
            "fresh_dev", "fresh_test", "dialogues_fresh_dev", "dialogues_fresh_test"),
}


@dataclass(frozen=True)
class EvalItem:
    id: str
    question: str                    # for dialogues: the last turn
    kind: str
    grounded: bool
    facts: tuple[tuple[str, ...], ...]
    docs: tuple[str, ...]
    must_not: tuple[str, ...] = ()
    user: str = ""
    lead: str = "none"
    lang: str = "ja"
    style: tuple[str, ...] = ()
    turns: tuple[str, ...] = ()      # dialogues only: every turn, the last one included
    unlinked: bool = False           # dialogue whose follow-up cannot be linked


@dataclass(frozen=True)
class ItemResult:
    item: EvalItem
    answer: str
    grounded: bool
    correct: bool
    facts_in_answer: int
    facts_in_evidence: int
    cited: int
    cited_relevant: int
    cited_expected_doc: bool
    valid: bool | None               # None: not checked (answers scored from a file)
    ms: float
    lead_got: str = "none"
    lang_ok: bool = True
    unsafe: bool = False


# ---------------------------------------------------------------- loading

def _item(d: dict) -> EvalItem:
    turns = tuple(d.get("turns", ()))
    lead = d.get("lead", "none") or "none"
    if lead not in LEADS:
        raise ValueError(f"item {d.get('id')}: lead must be one of {LEADS}, not {lead!r}")
    return EvalItem(
        id=d["id"], question=d["question"] if "question" in d else turns[-1], kind=d["kind"],
        grounded=bool(d["grounded"]),
        facts=tuple(tuple(f) if isinstance(f, list) else (f,) for f in d.get("facts", [])),
        docs=tuple(d.get("docs", [])), must_not=tuple(d.get("must_not", [])), user=d.get("user", ""),
        lead=lead, lang=d.get("lang", "ja"), style=tuple(d.get("style", [])), turns=turns,
        unlinked=bool(d.get("unlinked", False)))


def load_set(path: Path) -> list[EvalItem]:
    items = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            items.append(_item(json.loads(line)))
    return items


def resolve_sets(name: str) -> list[Path]:
    if name in SET_NAMES:
        return [EVAL_DIR / f"{n}.jsonl" for n in SET_NAMES[name]]
    p = EVAL_DIR / f"{name}.jsonl"
    return [p] if p.exists() else [Path(name)]


# ---------------------------------------------------------------- reading an answer

def norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def _has(text: str, alts: Iterable[str]) -> bool:
    t = norm(text)
    return any(norm(a) in t for a in alts)


def _lead_table(path: Path = EVAL_DIR / "leads.tsv") -> tuple[tuple[str, str, str], ...]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            polarity, match, phrase = line.split("\t")
            rows.append((polarity, match, norm(phrase)))
    return tuple(rows)


LEAD_TABLE = _lead_table()
_LEADING_NOTE = re.compile(r"^\s*(?:[（(【\[][^）)】\]]*[）)】\]]\s*)+")
_SENTENCE_END = re.compile(r"[。！？!?\n]|\.(?:\s|$)")
_MARKUP = re.compile(r"^[\s*_#>「『\"'“]+")


def first_sentence(answer: str) -> str:
    text = _MARKUP.sub("", _LEADING_NOTE.sub("", answer, count=1))
    m = _SENTENCE_END.search(text)
    return text[:m.start() + 1] if m else text


def lead_of(answer: str) -> str:
    """The polarity of the answer's first sentence: はい / いいえ / 条件次第 / none."""
    s = norm(first_sentence(answer)).strip()
    for polarity, match, phrase in LEAD_TABLE:
        if match == "prefix" and s.startswith(phrase):
            if phrase.isascii() and len(s) > len(phrase) and (s[len(phrase)].isalnum() or s[len(phrase)] == "_"):
                continue                 # "no" must not match "not"/"none"
            return polarity
        if match == "contains" and phrase in s:
            return polarity
    return "none"


_LATIN = re.compile(r"[A-Za-z]")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def is_english(text: str) -> bool:
    """Mostly Latin script: at least 60 % of the letters (Latin + kana/kanji) are Latin."""
    latin, ja = len(_LATIN.findall(text)), len(_JAPANESE.findall(text))
    return latin > 0 and latin >= 0.6 * (latin + ja)


# ---------------------------------------------------------------- scoring

def score_item(item: EvalItem, ans, valid: bool | None, ms: float) -> ItemResult:
    cited_texts = [c.text for c in ans.citations]
    in_answer = sum(_has(ans.answer, f) for f in item.facts)
    evidence = ans.answer + "\n" + "\n".join(cited_texts)
    in_evidence = sum(_has(evidence, f) for f in item.facts)
    relevant = sum(any(_has(t, f) for f in item.facts) for t in cited_texts) if item.facts else 0
    forbidden = any(_has(ans.answer, [m]) for m in item.must_not)
    lang_ok = item.lang != "en" or is_english(ans.answer)
    if item.unlinked:
        correct = _has(ans.answer, UNLINKED_PHRASES)
    elif not item.grounded:
        correct = not ans.grounded
    else:
        correct = ans.grounded and in_answer == len(item.facts)
    correct = correct and not forbidden and lang_ok
    return ItemResult(item, ans.answer, ans.grounded, correct, in_answer, in_evidence,
                      len(cited_texts), relevant,
                      any(c.doc_id in item.docs for c in ans.citations) if item.docs else False, valid, ms,
                      lead_of(ans.answer), lang_ok, forbidden and item.grounded and not item.unlinked)


def run_items(items: list[EvalItem], ask: Callable, check: Callable,
              progress: Callable[[int, int, str], None] = lambda *a: None) -> list[ItemResult]:
    out = []
    for i, item in enumerate(items, 1):
        t0 = time.perf_counter()
        ans = ask(item.question)
        ms = (time.perf_counter() - t0) * 1000
        out.append(score_item(item, ans, not check(ans), ms))
        progress(i, len(items), "評価中")
    return out


def run_dialogues(items: list[EvalItem], chat_factory: Callable[[], Callable] | None, ask: Callable | None = None,
                  check: Callable = lambda a: [],
                  progress: Callable[[int, int, str], None] = lambda *a: None) -> tuple[list[ItemResult], str]:
    """Each dialogue asked turn by turn in one conversation (`chat_factory()` returns an `ask`
    that keeps state); the last turn is scored.  Without a factory, the LAST TURN IS ASKED ALONE
    with `ask` (mode "last_turn_only": what a product without conversation memory does)."""
    mode = "conversation" if chat_factory is not None else "last_turn_only"
    out = []
    for i, item in enumerate(items, 1):
        turns = item.turns or (item.question,)
        t0 = time.perf_counter()
        if chat_factory is not None:
            chat = chat_factory()
            for q in turns[:-1]:
                chat(q)
            ans = chat(turns[-1])
        else:
            ans = ask(turns[-1])
        ms = (time.perf_counter() - t0) * 1000
        out.append(score_item(item, ans, not check(ans), ms))
        progress(i, len(items), "評価中")
    return out, mode


def _as_answer(d: dict):
    cits = tuple(SimpleNamespace(text=c.get("text", ""), doc_id=c.get("doc_id", "")) for c in d.get("citations", []))
    return SimpleNamespace(answer=d.get("answer", ""), grounded=bool(d.get("grounded")), citations=cits)


def score_answers(items: Sequence[EvalItem], answers: Iterable) -> list[ItemResult]:
    """Score answers produced elsewhere (e.g. `anpo batch --format jsonl` of another version):
    `answers` are answer objects or their JSON dicts, matched to items by question text (for
    dialogues, the last turn).  Citation validity is not checked here (reported as —)."""
    by_q = {}
    for a in answers:
        q = a.get("question") if isinstance(a, dict) else getattr(a, "question", None)
        by_q.setdefault(q, _as_answer(a) if isinstance(a, dict) else a)
    missing = [it.id for it in items if it.question not in by_q]
    if missing:
        raise KeyError(f"no answer for {len(missing)} items, e.g. {missing[:3]}")
    return [score_item(it, by_q[it.question], None, 0.0) for it in items]


def load_answers(path: Path) -> list:
    """Answers from a JSON-lines file (one answer object per line, as `anpo batch --format jsonl`)."""
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            a = _as_answer(d)
            a.question = d.get("question", "")
            out.append(a)
    return out


# ---------------------------------------------------------------- summaries

def _pct(num: float, den: float) -> float | None:
    return round(100.0 * num / den, 1) if den else None


def block(rs: list[ItemResult]) -> dict:
    in_scope = [r for r in rs if r.item.grounded and not r.item.unlinked]
    oos = [r for r in rs if not r.item.grounded and not r.item.unlinked]
    led = [r for r in rs if r.item.lead != "none"]
    en = [r for r in rs if r.item.lang == "en"]
    checked = [r for r in rs if r.valid is not None]
    facts = sum(len(r.item.facts) for r in in_scope)
    cited = sum(r.cited for r in in_scope)
    times = sorted(r.ms for r in rs if r.ms)
    return {
        "n": len(rs),
        "answer_accuracy": _pct(sum(r.correct for r in rs), len(rs)),
        "lead_accuracy": _pct(sum(r.lead_got == r.item.lead for r in led), len(led)),
        "lead_n": len(led),
        "unsafe": sum(r.unsafe for r in rs),
        "language_accuracy": _pct(sum(r.lang_ok for r in en), len(en)),
        "evidence_recall": _pct(sum(r.facts_in_evidence for r in in_scope), facts),
        "citation_precision": _pct(sum(r.cited_relevant for r in in_scope), cited),
        "doc_hit": _pct(sum(r.cited_expected_doc for r in in_scope if r.item.docs),
                        sum(1 for r in in_scope if r.item.docs)),
        "citation_validity": _pct(sum(bool(r.valid) for r in checked), len(checked)),
        "refusal_accuracy": _pct(sum(not r.grounded for r in oos), len(oos)),
        "false_refusals": _pct(sum(not r.grounded for r in in_scope), len(in_scope)),
        "p50_ms": round(statistics.median(times), 1) if times else None,
        "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 1) if times else None,
    }


def _group(results: list[ItemResult], key: Callable[[EvalItem], Iterable[str]]) -> dict:
    groups: dict[str, list[ItemResult]] = {}
    for r in results:
        for k in key(r.item):
            if k:
                groups.setdefault(k, []).append(r)
    return {k: block(v) for k, v in sorted(groups.items())}


def summarize(results: list[ItemResult], mode: str | None = None) -> dict:
    kinds = {k: block([r for r in results if r.item.kind == k]) for k in KINDS
             if any(r.item.kind == k for r in results)}
    out = {"overall": block(results), "by_kind": kinds,
           "by_user": _group(results, lambda it: [it.user]),
           "by_style": _group(results, lambda it: it.style),
           "by_lang": _group(results, lambda it: [it.lang]),
           "failures": [{"id": r.item.id, "kind": r.item.kind, "question": r.item.question,
                         "grounded": r.grounded, "lead": r.lead_got, "expected_lead": r.item.lead,
                         "unsafe": r.unsafe, "lang_ok": r.lang_ok, "answer": r.answer[:200]}
                        for r in results if not r.correct or (r.item.lead != "none" and r.lead_got != r.item.lead)]}
    if any(r.item.turns for r in results):
        out["followup_accuracy"] = out["overall"]["answer_accuracy"]
        out["dialogue_mode"] = mode or "conversation"
    return out


COLUMNS = ("n", "answer_accuracy", "lead_accuracy", "unsafe", "language_accuracy", "evidence_recall",
           "citation_precision", "doc_hit", "citation_validity", "refusal_accuracy", "false_refusals",
           "p50_ms", "p95_ms")


def _table(title: str, rows: dict, overall: dict) -> list[str]:
    head = [title] + list(COLUMNS)
    fmt = lambda v: "—" if v is None else str(v)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join([k] + [fmt(b[c]) for c in COLUMNS]) + " |" for k, b in rows.items()]
    lines.append("| " + " | ".join(["overall"] + [fmt(overall[c]) for c in COLUMNS]) + " |")
    return lines


def format_table(name: str, summary: dict) -> str:
    lines = [f"## {name}"]
    if "dialogue_mode" in summary:
        lines.append(f"follow-up accuracy {summary['followup_accuracy']} % (mode: {summary['dialogue_mode']})")
    lines += [""] + _table("kind", summary["by_kind"], summary["overall"])
    lines += [""] + _table("user", summary["by_user"], summary["overall"])
    return "\n".join(lines)

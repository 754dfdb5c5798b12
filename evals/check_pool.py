"""Validate the fresh evaluation pool (`fresh_pool.jsonl`, `dialogues_fresh_pool.jsonl`).

Checks, for both files: JSON per line, required fields and allowed values, unique ids, every
listed doc exists in the knowledge pack, and every fact has at least one alternative that occurs
literally (NFKC, lower-case) in one of the item's listed docs. English items must also offer a
Latin-script alternative for each fact (its English wording is checked only as a warning,
against `knowledge/en/<doc>.yaml`).

    python evals/check_pool.py                # validate; exit 1 on any error
    python evals/check_pool.py --similarity   # also: max difflib ratio of each question against
                                              # the existing sets (prints ratios only, not texts)
    python evals/check_pool.py --files evals/fresh2_dev.jsonl evals/dialogues_fresh2_dev.jsonl
                                              # check these files instead (a file whose name starts
                                              # with "dialogues" is read as dialogues)
"""
from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import unicodedata
from pathlib import Path

EVAL_DIR = Path(__file__).resolve().parent
PACK = EVAL_DIR.parent / "knowledge"
# The pool was split once into a dev and a frozen test half (evals/split_pool.py); the pool files
# were then removed so nobody tuning on dev opens the test half by accident.  The check reads both.
POOL = (EVAL_DIR / "fresh_dev.jsonl", EVAL_DIR / "fresh_test.jsonl")
DIALOGUES = (EVAL_DIR / "dialogues_fresh_dev.jsonl", EVAL_DIR / "dialogues_fresh_test.jsonl")
EXISTING = ("tune", "heldout", "dev", "test", "dialogues_dev", "dialogues_test")

KINDS = {"fact", "classification", "procedure", "case", "deal", "false_premise", "number",
         "multi_part", "out_of_scope", "adversarial"}
USERS = {"sme", "advisor", "seminar", "foreign_staff"}
LEADS = {"はい", "いいえ", "条件次第", "none"}
LANGS = {"ja", "en"}
INHERITS = {"product", "destination", "party", "action", "topic"}
ITEM_KEYS = {"id", "question", "kind", "user", "style", "grounded", "facts", "docs", "must_not",
             "lead", "lang"}
DIALOGUE_KEYS = {"id", "turns", "kind", "user", "lang", "grounded", "facts", "docs", "must_not",
                 "lead", "inherits", "unlinked"}
# With --files, questions are also compared with the first fresh round.
FRESH = ("fresh_dev", "fresh_test", "dialogues_fresh_dev", "dialogues_fresh_test")
SIMILARITY_LIMIT = 0.7


def norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def load_pack() -> dict[str, str]:
    """Doc id -> normalised text (Markdown docs and cases by front-matter id; tables via sidecar)."""
    texts: dict[str, str] = {}
    for md in list((PACK / "docs").glob("*.md")) + list((PACK / "cases").glob("*.md")):
        raw = md.read_text(encoding="utf-8")
        m = re.search(r"^id:\s*(\S+)", raw, re.M)
        texts[m.group(1) if m else md.stem] = norm(raw)
    for side in (PACK / "tables").glob("*.yaml"):
        raw = side.read_text(encoding="utf-8")
        m = re.search(r"^id:\s*(\S+)", raw, re.M)
        csv = side.with_suffix(".csv")
        texts[m.group(1) if m else side.stem] = norm(csv.read_text(encoding="utf-8") if csv.exists() else "")
    return texts


def english_texts() -> dict[str, str]:
    return {p.stem: norm(p.read_text(encoding="utf-8")) for p in (PACK / "en").glob("*.yaml")}


def _latin(s: str) -> bool:
    return bool(re.search(r"[A-Za-z0-9]", s)) and not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", s)


def check_item(d: dict, pack: dict[str, str], en: dict[str, str], dialogue: bool) -> tuple[list[str], list[str]]:
    errs: list[str] = []
    warns: list[str] = []
    iid = d.get("id", "?")
    need = DIALOGUE_KEYS if dialogue else ITEM_KEYS
    missing = need - d.keys()
    if missing:
        errs.append(f"{iid}: missing {sorted(missing)}")
        return errs, warns
    if dialogue:
        if d["kind"] != "dialogue":
            errs.append(f"{iid}: kind must be 'dialogue'")
        if not (isinstance(d["turns"], list) and 2 <= len(d["turns"]) <= 3 and all(isinstance(t, str) and t for t in d["turns"])):
            errs.append(f"{iid}: turns must be 2 or 3 non-empty strings")
        if not isinstance(d["inherits"], dict) or not set(d["inherits"]) <= INHERITS:
            errs.append(f"{iid}: inherits keys must be within {sorted(INHERITS)}")
        if not isinstance(d["unlinked"], bool):
            errs.append(f"{iid}: unlinked must be a bool")
        if d["unlinked"] and (d["facts"] or d["grounded"] or d["inherits"]):
            errs.append(f"{iid}: an unlinked dialogue has no facts, grounded false, empty inherits")
        if not d["unlinked"] and not d["inherits"]:
            errs.append(f"{iid}: a linked dialogue names what it inherits")
    else:
        if d["kind"] not in KINDS:
            errs.append(f"{iid}: kind {d['kind']!r}")
        if not isinstance(d["question"], str) or not d["question"].strip():
            errs.append(f"{iid}: empty question")
        if not isinstance(d["style"], list):
            errs.append(f"{iid}: style must be a list")
        if d["kind"] == "out_of_scope" and (d["grounded"] or d["facts"] or d["docs"]):
            errs.append(f"{iid}: out_of_scope items are grounded false with no facts/docs")
    if d["user"] not in USERS:
        errs.append(f"{iid}: user {d['user']!r}")
    if d["lead"] not in LEADS:
        errs.append(f"{iid}: lead {d['lead']!r}")
    if d["lang"] not in LANGS:
        errs.append(f"{iid}: lang {d['lang']!r}")
    if d["lang"] == "en" and d["user"] != "foreign_staff":
        errs.append(f"{iid}: English items are asked by foreign_staff")
    if not isinstance(d["must_not"], list) or not all(isinstance(m, str) and m for m in d["must_not"]):
        errs.append(f"{iid}: must_not must be a list of strings")
    for doc in d["docs"]:
        if doc not in pack:
            errs.append(f"{iid}: unknown doc {doc!r}")
    if d["grounded"] and not (dialogue and d.get("unlinked")):
        if not d["facts"] or not d["docs"]:
            errs.append(f"{iid}: grounded items need facts and docs")
        if not 1 <= len(d["facts"]) <= 3:
            warns.append(f"{iid}: {len(d['facts'])} facts (keep 1-3)")
    text = " ".join(pack.get(doc, "") for doc in d["docs"])
    en_text = " ".join(en.get(doc, "") for doc in d["docs"])
    for fact in d["facts"]:
        if not (isinstance(fact, list) and fact and all(isinstance(a, str) and a for a in fact)):
            errs.append(f"{iid}: each fact is a non-empty list of strings")
            continue
        if not any(norm(a) in text for a in fact):
            errs.append(f"{iid}: fact {fact} not found in docs {d['docs']}")
        if d["lang"] == "en":
            latin = [a for a in fact if _latin(a)]
            if not latin:
                errs.append(f"{iid}: English item fact {fact} has no English alternative")
            elif en_text and not any(norm(a) in en_text for a in latin):
                warns.append(f"{iid}: no English alternative of {fact} in knowledge/en for {d['docs']}")
    return errs, warns


def load_lines(paths) -> tuple[list[dict], list[str]]:
    rows, errs = [], []
    paths = (paths,) if isinstance(paths, Path) else paths
    lines = [(path, n, line) for path in paths
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)]
    for path, n, line in lines:
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as e:
            errs.append(f"{path.name}:{n}: bad JSON ({e})")
    return rows, errs


def _groups(files: list[str] | None) -> list[tuple[tuple[Path, ...], bool]]:
    """(paths, dialogue?) groups to check: the fixed pool files, or the files given by --files."""
    if not files:
        return [(POOL, False), (DIALOGUES, True)]
    paths = [Path(f) for f in files]
    items = tuple(p for p in paths if not p.name.startswith("dialogues"))
    dialogues = tuple(p for p in paths if p.name.startswith("dialogues"))
    return [(g, d) for g, d in ((items, False), (dialogues, True)) if g]


def validate(files: list[str] | None = None) -> int:
    pack, en = load_pack(), english_texts()
    errors: list[str] = []
    warnings: list[str] = []
    seen: set[str] = set()
    for path, dialogue in _groups(files):
        rows, errs = load_lines(path)
        errors += errs
        for d in rows:
            if d.get("id") in seen:
                errors.append(f"duplicate id {d.get('id')}")
            seen.add(d.get("id"))
            e, w = check_item(d, pack, en, dialogue)
            errors += e
            warnings += w
        print(f"{' + '.join(p.name for p in path)}: {len(rows)} items")
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("ERROR:", e)
    print("OK" if not errors else f"{len(errors)} errors")
    return 1 if errors else 0


def _questions(path) -> list[tuple[str, str]]:
    out = []
    rows, _ = load_lines(path)
    for d in rows:
        for i, q in enumerate(d.get("turns") or [d.get("question", "")]):
            out.append((f"{d.get('id')}#{i}" if d.get("turns") else d.get("id"), q))
    return out


def similarity(files: list[str] | None = None) -> float:
    """Print, for each fresh question/turn, only its max ratio against the existing sets."""
    names = EXISTING + (FRESH if files else ())
    existing = [q for name in names if (EVAL_DIR / f"{name}.jsonl").exists()
                for _, q in _questions(EVAL_DIR / f"{name}.jsonl")]
    top = 0.0
    targets = [p for paths, _ in _groups(files) for p in paths]
    for qid, q in [item for p in targets for item in _questions(p)]:
        sm = difflib.SequenceMatcher(autojunk=False)
        sm.set_seq2(q)
        best = 0.0
        for other in existing:
            sm.set_seq1(other)
            if sm.real_quick_ratio() > best and sm.quick_ratio() > best:
                best = max(best, sm.ratio())
        top = max(top, best)
        flag = "\tREWRITE" if best >= SIMILARITY_LIMIT else ""
        print(f"{qid}\t{best:.3f}{flag}")
    print(f"max\t{top:.3f}")
    return top


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--similarity", action="store_true", help="print max similarity to existing sets")
    ap.add_argument("--files", nargs="+", metavar="FILE",
                    help="check these JSONL files instead of the fixed pool files")
    args = ap.parse_args(argv)
    rc = validate(args.files)
    if args.similarity and similarity(args.files) >= SIMILARITY_LIMIT:
        rc = rc or 1
    return rc


if __name__ == "__main__":
    sys.exit(main())

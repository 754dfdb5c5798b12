"""Provenance in answers: user-uploaded passages are labelled as such, and the shipped
knowledge pack wins over an upload that contradicts it.

`label_notes(citations)` is the one caveat naming the cited passages users uploaded.
`prefer_pack(hits, question)` compares what the retrieved passages say about the same
predicates (is a licence needed? is the item covered?), using the stance cues in
`anpo/data/stance.tsv`; an uploaded passage whose stance is the opposite of the pack's is
dropped from the hits and a note says so; so is an uploaded passage containing
instruction-like text (it stays indexed and listed, flagged at ingest).  Both passages must have been retrieved for the same
question: that is what "on the same question" means here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from retrieval.injection import sentence_spans
from retrieval.loaders import UPLOAD_ISSUER, is_upload_id
from retrieval.textnorm import key_terms, normalize, read_tsv
from retrieval.types import Chunk, Hit

STANCE_PATH = Path(__file__).parent / "data" / "stance.tsv"
FAMILIES = ("need", "scope", "may")


@dataclass(frozen=True)
class Cue:
    family: str                 # need | scope | flip
    stance: str                 # "+", "-" or "?" (flip rows)
    pattern: re.Pattern
    examples: tuple[str, ...]


@lru_cache(maxsize=1)
def cues() -> tuple[Cue, ...]:
    out = []
    for row in read_tsv(STANCE_PATH):
        family, stance, pattern, examples = (row + ["", "", "", ""])[:4]
        out.append(Cue(family, stance, re.compile(pattern),
                       tuple(e.strip() for e in examples.split(" | ") if e.strip())))
    return tuple(out)


def is_upload(item) -> bool:
    """A chunk or citation from a user upload (by origin, namespaced id or system issuer)."""
    return (getattr(item, "origin", None) == "upload" or is_upload_id(getattr(item, "doc_id", ""))
            or (getattr(item, "issuer", None) or "") == UPLOAD_ISSUER)


def label_notes(citations: Sequence) -> list[str]:
    """The one caveat naming the cited passages that users uploaded (empty when there are none);
    `anpo.citations` puts it under the answer, `anpo.english` translates it."""
    ups = [c for c in citations if is_upload(c)]
    if not ups:
        return []
    return [f"※ {'、'.join(f'[{c.n}]' for c in ups)}は利用者がアップロードした資料で、公式資料ではありません。"]


# ----------------------------------------------------------------- stance

def sentence_stance(sentence: str) -> dict[str, str]:
    """{family: "+"|"-"} for what this sentence states; empty for a sentence that denies or
    limits a claim (「…と考えるのは誤りです」)."""
    s = normalize(sentence)
    if any(c.family == "flip" and c.pattern.search(s) for c in cues()):
        return {}
    found: dict[str, set] = {}
    for c in cues():
        if c.family in FAMILIES and c.pattern.search(s):
            found.setdefault(c.family, set()).add(c.stance)
    # the negative cues contain the positive words (「必要ありません」): when both match, "-"
    return {f: ("-" if "-" in v else "+") for f, v in found.items()}


def passage_stance(chunk: Chunk, question: str, family: str) -> str | None:
    """What the passage says on `family` in its sentences closest to the question's topic.
    A list-control row naming the asked item counts as "covered, a licence may be needed"."""
    if chunk.fields and dict(chunk.fields).get("kouban"):
        return "+"
    terms = [alts for alts in key_terms(question)]
    best, stance = 0, None
    for s, e in sentence_spans(chunk.text):
        sent = chunk.text[s:e]
        st = sentence_stance(sent).get(family)
        if st is None:
            continue
        ns = normalize(sent)
        overlap = sum(1 for alts in terms if any(a in ns for a in alts))
        if overlap > best:
            best, stance = overlap, st
        elif overlap == best and stance is not None and st != stance:
            stance = None if best else stance
    return stance


def prefer_pack(hits: Sequence[Hit], question: str) -> tuple[list[Hit], list[str]]:
    """The hits without the uploaded passages that contradict the pack on this question and
    without uploaded passages holding instruction-like text (`Chunk.suspicious`: even a
    fragment of an order must not be quoted), with a note for each."""
    hits = list(hits)
    ups = [h for h in hits if is_upload(h.chunk)]
    pack = [h for h in hits if not is_upload(h.chunk)]
    dropped: set[str] = set()
    notes: list[str] = []
    for fam in FAMILIES if pack else ():     # every predicate both sides speak to, not only the asked one

        pack_says = next((st for h in pack if (st := passage_stance(h.chunk, question, fam))), None)
        if pack_says is None:
            continue
        for h in ups:
            if h.chunk.chunk_id in dropped:
                continue
            says = passage_stance(h.chunk, question, fam)
            if says and says != pack_says:
                dropped.add(h.chunk.chunk_id)
                notes.append(f"利用者がアップロードした資料「{h.chunk.title}」は、この点で公式資料と食い違うため、"
                             "回答には公式資料を優先しました。")
    for h in ups:
        if h.chunk.suspicious and h.chunk.chunk_id not in dropped:
            dropped.add(h.chunk.chunk_id)
            notes.append(f"利用者がアップロードした資料「{h.chunk.title}」の{h.chunk.locator}には回答者への指示のような文が"
                         "あるため、その箇所は回答に使っていません。")
    kept = [h for h in hits if h.chunk.chunk_id not in dropped]
    out = [replace(h, rank=i) for i, h in enumerate(kept, 1)]
    return out, list(dict.fromkeys(notes))

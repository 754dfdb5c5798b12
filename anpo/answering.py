"""Turning retrieved passages into a cited answer.

`assess` decides whether the knowledge base covers a question (the share of the
question's topic words, weighted by rarity, that the best passage contains).
`ExtractiveBackend` composes an advisor-style answer from the best-supported sentences
with `[n]` markers, offline and without an LLM.  `finalize` renumbers markers, keeps only
cited passages as citations and adds date caveats; `check_citations` verifies that every
marker resolves and every cited text is exactly an indexed passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable, Sequence

from anpo.models import Answer, Citation
from retrieval.textnorm import expand, key_terms, looks_like_instruction, normalize, sentence_spans, tokens
from retrieval.types import Chunk, Hit

WEIGHT_CAP = 4.0
UNKNOWN_WEIGHT = 8.0
MARKER = re.compile(r"\[(\d+)\]")
ASK_METI = ("経済産業省 安全保障貿易審査課、または最寄りの経済産業局（安全保障貿易管理の担当窓口）")


@dataclass(frozen=True)
class Support:
    """How well passages cover a question.  Each topic word (with its alternative
    spellings) counts by its rarity; a passage covers a word by the share of the word's
    character bigrams it contains, so compounds written differently still match in part."""
    terms: tuple[tuple[str, ...], ...]
    term_tokens: tuple[tuple[frozenset, ...], ...]
    weights: tuple[float, ...]
    coverage: tuple[float, ...]         # per hit, same order as the hits
    best: float
    english: bool

    def covered(self, text_expanded: str) -> float:
        total = sum(self.weights)
        if total <= 0:
            return 0.0
        have = set(tokens(text_expanded, normalized=True))
        got = 0.0
        for alts, w in zip(self.term_tokens, self.weights):
            share = max((len(a & have) / len(a) for a in alts if a), default=0.0)
            got += w * share
        return got / total


@dataclass(frozen=True)
class Draft:
    """What a backend returns: text whose [n] refer to the 1-based position in `hits`."""
    text: str
    highlights: dict[int, tuple[tuple[int, int], ...]]
    notes: tuple[str, ...] = ()        # e.g. claim-checker drops or an LLM fallback, shown under the answer


def is_english(question: str) -> bool:
    letters = re.findall(r"[A-Za-z]", question)
    cjk = re.findall(r"[\u3040-\u30ff\u3400-\u9fff]", question)
    return len(letters) > 3 * max(1, len(cjk))


def _is_known(alts, known: Callable[[str], bool]) -> bool:
    return any(toks and sum(known(t) for t in toks) / len(toks) >= 0.5 for toks in alts)


def assess(question: str, hits: Sequence[Hit], idf: Callable[[str], float],
           known: Callable[[str], bool] | None = None) -> Support:
    """`idf(token)` gives a bigram's rarity in the pack (unseen bigrams are rarest);
    `known(token)` whether the pack uses the bigram at all."""
    terms = tuple(key_terms(question))
    term_tokens = tuple(tuple(frozenset(tokens(a)) for a in g) for g in terms)
    # a word's weight is its bigrams' mean rarity, capped: colloquial words the pack never
    # uses (代理店, 注文) should not outweigh the domain terms next to them
    weights = tuple(
        min(WEIGHT_CAP, max((sum(idf(t) for t in toks) / len(toks) for toks in alts if toks), default=0.0))
        for alts in term_tokens)
    if known is not None:
        # a Japanese word the pack never uses (most of its bigrams unseen) usually names a
        # topic the pack does not cover (残業時間, 商標登録): it weighs more, not less
        weights = tuple(
            UNKNOWN_WEIGHT if not _is_known(alts, known) and not terms[i][0].isascii() else w
            for i, (alts, w) in enumerate(zip(term_tokens, weights)))
    s = Support(terms, term_tokens, weights, (), 0.0, is_english(question))
    cov = tuple(s.covered(h.chunk.search_text) for h in hits)
    return Support(terms, term_tokens, weights, cov, max(cov, default=0.0), s.english)


# ----------------------------------------------------------------- extractive

_NEG = re.compile(r"(ない|ません|不要|対象外|除外|できず|されず|非該当|当たらな|該当しな)")
_YESNO_PRED = re.compile(r"(輸出|提供|対象|該当|含ま|当たり|あたり|なり|なる|必要|規制)[^。？?]{0,12}(ですか|ますか|でしょうか|になる|になります|か)?[？?]?\s*$")
_PERMISSION = re.compile(r"(いい|良い|よい|大丈夫|問題ない|構わない|かまわない|OK|ok|できますか|できる\?|できる？|可能)")
_WH = re.compile(r"(何|なに|なん|どこ|いつ|誰|だれ|どの|どう|どれ|なぜ|いくら|どんな|どちら|\bwhat\b|\bwhich\b|\bhow\b|\bwhen\b|\bwho\b|\bwhere\b|\bwhy\b)", re.I)


def _lead(question: str, best_sentence: str, support: "Support") -> str:
    """A direct answer, only where the evidence makes it safe: 「はい」 needs a sentence that
    states the question's own terms (at least two of them) affirmatively."""
    q = normalize(question)
    if _WH.search(q):
        return ""
    if _PERMISSION.search(q):
        return "一概には言えません。条件によって許可や確認が必要になります。"
    if _NEG.search(q):
        return ""
    have = set(tokens(expand(best_sentence), normalized=True))
    stated = sum(1 for alts in support.term_tokens if any(a and a <= have for a in alts))
    pred = _YESNO_PRED.search(q)
    if pred and stated >= 2 and support.covered(expand(best_sentence)) >= 0.8 \
            and pred.group(1) in normalize(best_sentence) and not _NEG.search(best_sentence):
        return "はい。"      # the sentence states the asked predicate (輸出, 対象…) of the asked terms
    return ""


def _row_lead(rows: Sequence[tuple[Chunk, int]]) -> str:
    """For list-control rows, lead with the classifications they point to (hedged: the
    product's specifications decide, through 該非判定).  Several matching rows are all named."""
    parts = []
    for chunk, pos in rows:
        f = dict(chunk.fields)
        if not f.get("kouban"):
            continue
        item = f"{f.get('item_no', '')} {f.get('item_name', '')}".strip()
        where = f"{f['kouban']}項（{f.get('category', '')}）" + (f"の{item}" if item else "")
        if all(where not in p for p in parts):
            parts.append(f"{where} [{pos}]")
    if not parts:
        return ""
    return (f"リスト規制の{'、'.join(parts)}に当たる可能性があります。"
            "ただし、仕様によっては対象外となるため、該非判定で確認してください。")


# What kind of answer a question wants, and what a sentence that gives it looks like.
_ANSWER_TYPES = (
    (re.compile(r"(とは|って何|ってなに|ってなん|とは何|は何ですか|何が含まれ|どういう意味|意味は|\bwhat is\b|\bwhat are\b|\bmean)", re.I),
     re.compile(r"(とは|をいう|のことです|のことを|を指し|を意味し|をいいます|と呼び)")),
    (re.compile(r"(いつ|何日|何年に|施行日|公表日|適用開始|から適用|\bwhen\b)", re.I),
     re.compile(r"(\d{4}年|令和\d+年|平成\d+年|\d+月\d+日|\d{4}-\d{2})")),
    (re.compile(r"(いくら|何円|何万|上限|何年以下|何か月|何ヶ月|何カ月|何か国|何団体|何社|何件|何日|期間|\bhow (many|much|long)\b)", re.I),
     re.compile(r"\d")),
    (re.compile(r"(どうやって|どうすれば|どうしたら|手順|方法|やり方|進め方|何をすれば|何から|\bhow (do|to|can|should)\b)", re.I),
     re.compile(r"(必要があります|確認し|行います|行う必要|してください|手続|手順|まず|求められ)")),
    (re.compile(r"(どこ|窓口|誰に|相談先|連絡先|提出先|\bwhere\b|\bwho\b)", re.I),
     re.compile(r"(経済産業局|経済産業省|窓口|審査課|管理課|検査官室|CISTEC|提出|相談)")),
)


_ASKS_ITEM = re.compile(r"(何項|なん項|何の項|どの項|項番|何番|該当する項|規制品|リスト規制|item number|which item|control list|listed item)", re.I)


def _answer_type_bonus(question: str, sentence: str) -> float:
    bonus = 0.0
    for asks, gives in _ANSWER_TYPES:
        if asks.search(question) and gives.search(sentence):
            bonus += 0.12
    return min(bonus, 0.24)


def _subject_bonus(support: "Support", sentence: str) -> float:
    """A sentence whose subject is one of the question's topic words answers it more directly."""
    head = normalize(sentence)[:24]
    for alts in support.terms:
        for a in alts:
            i = head.find(a)
            if i >= 0 and re.match(r"(は|とは|では|について|には|も)", head[i + len(a):i + len(a) + 4] or ""):
                return 0.1
    return 0.0


class ExtractiveBackend:
    """Offline answerer: quotes the sentences that best cover the question, each with its
    passage's marker.  It never follows instructions found in questions or passages."""

    name = "extractive"

    def __init__(self, max_sentences: int = 3, max_chars: int = 420):
        self.max_sentences = max_sentences
        self.max_chars = max_chars

    def answer(self, question: str, hits: Sequence[Hit], support: Support) -> Draft:
        cands = []
        for pos, h in enumerate(hits, 1):
            text = h.chunk.text
            spans = [(0, len(text))] if h.chunk.fields else sentence_spans(text)
            loc_exp = expand(h.chunk.locator)
            for s, e in spans:
                sent = text[s:e]
                if len(sent) < 6 or looks_like_instruction(sent):
                    continue
                own = support.covered(expand(sent))
                ctx = support.covered(expand(h.chunk.locator + " " + sent))
                score = (own + 0.35 * ctx + 0.35 * support.coverage[pos - 1] + 0.08 / pos
                         + _answer_type_bonus(question, sent) + _subject_bonus(support, sent))
                if h.chunk.fields and dict(h.chunk.fields).get("kouban") and _ASKS_ITEM.search(question):
                    score += 0.25     # structured list-control rows win for "which item?" questions
                if own == 0 and ctx == 0:
                    continue
                cands.append((score, own, pos, s, e, sent))
        if not cands:
            return Draft("", {})
        cands.sort(key=lambda c: -c[0])
        chosen = [cands[0]]
        seen_norm = {normalize(cands[0][5])}
        used = len(cands[0][5])
        for c in cands[1:]:
            if len(chosen) >= self.max_sentences:
                break
            if c[0] < 0.55 * chosen[0][0] or c[1] <= 0:
                continue
            n = normalize(c[5])
            if n in seen_norm or any(n in x or x in n for x in seen_norm):
                continue
            if used + len(c[5]) > self.max_chars:
                continue
            chosen.append(c)
            seen_norm.add(n)
            used += len(c[5])
        lines = []
        best = chosen[0]
        rows = [(hits[c[2] - 1].chunk, c[2]) for c in chosen] if hits[best[2] - 1].chunk.fields else []
        lead = _row_lead(rows) or _lead(question, best[5], support)
        highlights: dict[int, list[tuple[int, int]]] = {}
        # the best sentence leads; the others follow in reading order (passage, then offset)
        chosen = chosen[:1] + sorted(chosen[1:], key=lambda c: (c[2], c[3]))
        for i, (_, _, pos, s, e, sent) in enumerate(chosen):
            sent_clean = re.sub(r"^[\s\-・*●]+", "", sent).rstrip()
            if not re.search(r"[。！？!?）)]$", sent_clean):
                sent_clean += "。"
            lines.append(f"{sent_clean} [{pos}]")
            highlights.setdefault(pos, []).append((s, e))
        body = (lead + "\n" if lead else "") + "\n".join(lines)
        if support.english:
            body = "Answer from the Japanese sources (key points quoted in Japanese):\n" + body
        return Draft(body, {k: tuple(v) for k, v in highlights.items()})


# ----------------------------------------------------------------- finishing

def refusal(question: str, backend: str, english: bool = False, reason: str | None = None,
            field: str | None = None, desk: str | None = None) -> Answer:
    if field and desk and desk != "—":
        lead = (f"ご質問は「{field}」に関するもので、このナレッジベース（安全保障貿易管理・外為法に基づく輸出管理）"
                f"の対象外のため、お答えできません。{desk}にご確認ください。")
    else:
        lead = ("ご質問の内容は、このナレッジベース（安全保障貿易管理・外為法に基づく輸出管理）では確認できないため、"
                "お答えできません。")
    text = lead + (reason or "") + f"安全保障貿易管理に関するご相談は、{ASK_METI}にお問い合わせください。"
    if english:
        text = ("This is not covered by the knowledge base (Japanese security export control), so I cannot answer it. "
                "For export-control questions, contact METI's Security Export Control Policy / Licensing divisions "
                "or your regional METI bureau.\n") + text
    return Answer(question=question, answer=text, grounded=False, backend=backend)


def _older_than_a_year(d: str | None, today: date) -> bool:
    if not d:
        return False
    try:
        y, m, *rest = [int(x) for x in d.split("-")]
        when = date(y, m, rest[0] if rest else 1)
    except (ValueError, TypeError):
        return False
    return when < today - timedelta(days=365)


def finalize(question: str, backend: str, draft: Draft, hits: Sequence[Hit],
             today: date | None = None, notes: Sequence[str] = ()) -> Answer:
    """Renumber markers by first use, keep only cited passages, add caveats."""
    today = today or date.today()
    order: list[int] = []
    for m in MARKER.finditer(draft.text):
        pos = int(m.group(1))
        if 1 <= pos <= len(hits) and pos not in order:
            order.append(pos)
    renum = {pos: n for n, pos in enumerate(order, 1)}

    def sub(m):
        pos = int(m.group(1))
        return f"[{renum[pos]}]" if pos in renum else ""

    text = MARKER.sub(sub, draft.text).strip()
    citations = []
    for pos in order:
        c = hits[pos - 1].chunk
        citations.append(Citation(
            n=renum[pos], doc_id=c.doc_id, chunk_id=c.chunk_id, title=c.title, locator=c.locator,
            text=c.text, url=c.url, effective_date=c.effective_date, issuer=c.issuer,
            confirmed=c.confirmed, highlight=draft.highlights.get(pos, ()),
        ))
    if not citations:
        return refusal(question, backend)
    caveats = []
    old = [c for c in citations if _older_than_a_year(c.effective_date, today)]
    if old:
        refs = "、".join(f"[{c.n}]（{c.effective_date}）" for c in old)
        caveats.append(f"※ {refs}は1年以上前の日付の情報です。その後の改正がないか、経済産業省の最新情報で確認してください。")
    unconfirmed = [c for c in citations if not c.confirmed]
    if unconfirmed:
        refs = "、".join(f"[{c.n}]" for c in unconfirmed)
        caveats.append(f"※ {refs}には一次資料で確認できていない情報が含まれます。")
    caveats.append(f"判断に迷う場合は、{ASK_METI}に相談してください。")
    text = text + "\n" + "\n".join(caveats)
    dates = sorted({c.effective_date for c in citations if c.effective_date})
    return Answer(question=question, answer=text, grounded=True, backend=backend,
                  citations=tuple(citations), notes=tuple(notes),
                  knowledge_as_of=dates[-1] if dates else None)


def check_citations(answer: Answer, lookup: Callable[[str], Chunk | None]) -> list[str]:
    """Problems with an answer's citations; empty when every [n] resolves to a citation and
    every citation is exactly an indexed passage."""
    problems = []
    numbers = {c.n for c in answer.citations}
    markers = {int(m) for m in MARKER.findall(answer.answer)}
    for n in sorted(markers - numbers):
        problems.append(f"marker [{n}] has no citation")
    if answer.grounded and (not answer.citations or not markers):
        problems.append("grounded answer without citations or markers")
    for c in answer.citations:
        chunk = lookup(c.chunk_id)
        if chunk is None:
            problems.append(f"citation [{c.n}] points to {c.chunk_id}, which is not in the index")
        elif chunk.text != c.text or chunk.doc_id != c.doc_id:
            problems.append(f"citation [{c.n}] text differs from the indexed passage {c.chunk_id}")
        for s, e in c.highlight:
            if not (0 <= s < e <= len(c.text)):
                problems.append(f"citation [{c.n}] highlight {s}-{e} is outside its text")
    return problems

"""Composing cited answers, shaped by the question's intent (offline, no LLM).

- `ExtractiveBackend.answer(question, hits, support)` quotes the sentences that best cover
  the topic, each with its passage's marker, and opens with a lead only where a cited
  sentence states it: 「はい」 (the sentence affirms the asked predicate), 「いいえ」 (the
  question asserts a rule does not apply and a sentence says it does; or the destination is
  banned), 「一概には言えません」 (followed by the cited condition).  Number and date
  questions quote the sentence that holds the number.
- `product_answer` ("is my X controlled?") names the list-control candidates, or says none
  was found by name, then how to check and that catch-all still applies; never refused.
- `deal_answer` turns a deal into the advisor's checklist (anpo.screening), each step cited.
- `join_parts` gives a multi-part question one cited line per part.

Markers in a `Draft` are 1-based positions in the hits it was made from.  Cues and weights
are data (data/intents.yaml); every score part is kept for `anpo ask --explain`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Callable, Sequence

from anpo import leads
from anpo.analysis import AnswerType, Analysis, analyse, asked_clause, asked_sentence, asked_type_words, load_rules
from anpo.citations import is_upload
from anpo.grounding import Support
from retrieval.injection import quotable
from retrieval.textnorm import expand, key_terms, normalize, sentence_spans, tokens
from retrieval.types import Chunk, Hit

Retrieve = Callable[[str, int], Sequence[Hit]]


@dataclass(frozen=True)
class Draft:
    """What a backend returns: text whose [n] refer to the 1-based position in `hits`."""
    text: str
    highlights: dict[int, tuple[tuple[int, int], ...]]
    notes: tuple[str, ...] = ()        # e.g. claim-checker drops or an LLM fallback, shown under the answer
    explain: tuple[str, ...] = ()      # which rules fired and the scores behind the choice


@dataclass(frozen=True)
class Cand:
    score: float
    own: float
    pos: int                           # 1-based position of the passage in hits
    start: int
    end: int
    text: str
    parts: tuple[tuple[str, float], ...] = ()
    gives: frozenset = frozenset()     # the asked answer types (answer_types) the sentence gives

    def why(self) -> str:
        return " ".join(f"{k}={v:.2f}" for k, v in self.parts if v)


def _clean(sentence: str) -> str:
    s = re.sub(r"^[\s\-・*●]+", "", sentence).rstrip()
    return s if re.search(r"[。！？!?）)]$", s) else s + "。"


def _subject(support: Support, sentence: str) -> bool:
    """A topic word is the sentence's subject (「Xは」「Xとは」)."""
    head = normalize(sentence)[:24]
    for alts in support.terms:
        for a in alts:
            i = head.find(a)
            if i >= 0 and re.match(r"(は|とは|では|について|には|も)", head[i + len(a):i + len(a) + 4] or ""):
                return True
    return False


def answer_types() -> tuple[AnswerType, ...]:
    """data/intents.yaml `answer_types` (read by anpo.analysis.load_rules): what a question asks to be
    told (cost, duration, documents, examples, first step) and what a sentence giving it looks like."""
    return load_rules().answer_types


def asked_types(question: str) -> tuple[AnswerType, ...]:
    """The answer types a question (or a part of one) asks for, in its asked clause: a remark told after
    the last ？ (「何年くらい使える？毎年更新とか面倒なんだけど。」) asks for nothing (anpo.analysis.asked_clause)
    unless it asks inside a feeling (「…間に合うかも気になってて」: data/intents.yaml remark_asks)."""
    clause = asked_clause(question)
    remark = question[len(clause):]
    q = normalize(clause + remark if remark and load_rules().remark_asks.search(normalize(remark)) else clause)
    return tuple(t for t in answer_types() if t.asks.search(q) and not (t.unless and t.unless.search(q)))


def candidates(hits: Sequence[Hit], support: Support, a: Analysis | None) -> list[Cand]:
    """Every quotable sentence of the hits, scored (weights from data/intents.yaml)."""
    rules = load_rules()
    w = rules.weights
    intents = [r for r in (rules.intent(n) for n in (a.intents if a else ())) if r is not None and r.gives]
    if a is not None and a.intent == "where_to_ask":
        # a desk is asked for: a sentence naming a desk answers, not one stating the ban or the number it is asked about
        intents = intents[:1]
    unit = rules.number_gives(a.question) if a is not None and "number" in a.intents else ()
    row_question = a is not None and ("product_check" in a.intents or bool(a.products))
    # a sentence about a banned destination answers a question that names none only when nothing else does
    # (a part names the one its first part asked about: 「北朝鮮への禁止はいつから？今の措置はいつまで？」), and
    # 「懸念国ってどこ？」 "Which countries are in Table 4?" asks for the countries it names
    types = asked_types(a.question) if a is not None else ()
    ban = rules.intent("ban") if a is not None and "ban" not in a.intents and not any(t.name == "countries" for t in types) \
        and not any(rules.intent("ban").match(normalize(c.name)) for c in a.countries if c.name) else None
    country_question = a is None or bool(a.countries)
    # a destination row of a country not asked about (イラク for 「イランは…？」) answers only when nothing else does
    asked_countries = {c.name for c in a.countries} if a is not None else set()
    # a rule as it was (「…より前は…対象外とされていました」) answers a question about now only after the rule as it is
    past = w.get("past_rule", 0.0) if a is not None and not rules.asks_past.search(normalize(a.question)) else 0.0
    # the words asking for the answer type (順番, 間隔, 程度) choose no sentence: the type does
    pick_by = _without(support, asked_type_words(a.question)) if types else support
    # a part's words from the part before (its subject, 「判定支援」 for 「…結果が出るまでどの程度？」) choose too
    inherited = _inherited(support, a)
    out = []
    for pos, h in enumerate(hits, 1):
        text = h.chunk.text
        fields = dict(h.chunk.fields)
        if fields.get("country") and fields.get("group") and not country_question:
            continue            # a destination row answers "which group is X?", only when a country is named
        is_row = bool(fields.get("kouban"))
        elsewhere = w.get("country_elsewhere", 0.0) if asked_countries and fields.get("country") \
            and fields.get("country") not in asked_countries else 0.0
        spans = [(0, len(text))] if is_row else sentence_spans(text)
        strict = h.chunk.origin == "upload"
        for s, e in spans:
            sent = text[s:e]
            # not even a fragment of an order is quoted; uploads get the allow-list too (retrieval.injection)
            if len(sent) < 6 or not quotable(text, s, e, strict=strict) or rules.provenance.search(normalize(sent)):
                continue
            own = pick_by.covered(expand(sent))
            ctx = pick_by.covered(expand(h.chunk.locator + " " + sent))
            if own == 0 and ctx == 0:
                continue
            n = normalize(sent)
            given = frozenset(t.name for t in types if any(g.search(n) for g in t.gives))
            gives = min(w["answer_type_cap"], sum(r.bonus for r in intents
                                                  if any(g.search(n) for g in (unit if r.name == "number" and unit else r.gives)))
                        + w.get("asked_type", 0.0) * bool(given))
            parts = (("own", w["own"] * own), ("context", w["context"] * ctx),
                     ("passage", w["passage"] * support.coverage[pos - 1]), ("rank", w["rank"] / pos),
                     ("answer_type", gives), ("subject", w["subject"] if _subject(support, sent) else 0.0),
                     ("list_row", w["list_row"] if is_row and row_question else 0.0),
                     ("ban_elsewhere", w.get("ban_elsewhere", 0.0) if ban is not None and ban.match(n) else 0.0),
                     ("country_elsewhere", elsewhere),
                     ("past_rule", past if past and leads.past_rule(sent) else 0.0),
                     ("inherited", w.get("inherited", 0.0) * inherited.covered(expand(sent)) if inherited else 0.0))
            out.append(Cand(sum(v for _, v in parts), own, pos, s, e, sent, parts, given))
    out.sort(key=lambda c: -c.score)
    return out


def _without(support: Support, words: Sequence[str]) -> Support:
    """The support with `words` weighing next to nothing (at most weights.asked_type_word)."""
    cap = load_rules().weights.get("asked_type_word", 0.0)
    drop = set(words)
    if not drop or not any(g[0] in drop for g in support.terms):
        return support
    return replace(support, weights=tuple(min(wt, cap) if g[0] in drop else wt
                                          for g, wt in zip(support.terms, support.weights)))


def _inherited(support: Support, a: Analysis | None) -> Support | None:
    """A later part's words from the part before (Analysis.context) that are not its own topic
    words, as a Support of equal weights: how much of the part's subject a sentence states."""
    if a is None or not a.context:
        return None
    own = {g[0] for g in support.terms}
    groups = [g for w in a.context for g in key_terms(w) if g[0] not in own]
    if not groups:
        return None
    groups = list({g[0]: g for g in groups}.values())
    return Support(tuple(groups), tuple(tuple(frozenset(tokens(x)) for x in g) for g in groups),
                   tuple(1.0 for _ in groups), (), 0.0, support.english)


def _shares(support: Support | None, text: str) -> tuple[float, ...]:
    """How much of each topic word a sentence states (the share of its bigrams, as Support.covered)."""
    if support is None or not support.terms:
        return ()
    have = set(tokens(expand(text), normalized=True))
    return tuple(max((len(t & have) / len(t) for t in alts if t), default=0.0) for alts in support.term_tokens)


_RESTATE_MIN = 40       # characters


def _restates(a: str, b: str, share: float) -> bool:
    """Two normalised sentences say the same thing in other words (two documents restating one rule:
    「一般包括許可の申請者は、…登録するか…受理票の写しを提出するかのどちらかで要件を満たします」 and 「一般包括
    許可を申請する者は、…登録するか…受理票の写しを提出する必要があります」): at least `share` of the shorter
    one's character bigrams are the other's (weights.restates).  Short sentences are never restatements: a
    list told as parallel sentences (「海外へ返品することも、貨物の輸出に当たります」「無償のサンプルを…ことも、…」)
    shares its frame and differs in the one word that matters."""
    if min(len(a), len(b)) < _RESTATE_MIN:
        return False
    x, y = ({s[i:i + 2] for i in range(len(s) - 1)} for s in (a, b))
    small = min(len(x), len(y))
    return small > 0 and len(x & y) >= share * small


def pick(cands: Sequence[Cand], max_sentences: int, max_chars: int, support: Support | None = None) -> list[Cand]:
    """The best sentence, then up to max_sentences-1 others that score close to it (at least
    follow_ratio of the best), chosen for what they add: first one that gives an asked answer type
    (answer_types) no chosen sentence gives yet, else the one whose score plus the share of the
    topic words it newly states (weights.cover_gain) is highest.  A question with two asks gets a
    sentence for each when the passages hold them, not two sentences for the first."""
    if not cands:
        return []
    w = load_rules().weights
    ratio, gain_w, near = w["follow_ratio"], w.get("cover_gain", 0.0), w.get("restates", 1.1)
    chosen = [cands[0]]
    seen = {normalize(cands[0].text)}
    used = len(cands[0].text)
    given = set(cands[0].gives)
    total = sum(support.weights) if support is not None else 0.0
    have = list(_shares(support, cands[0].text))
    shares = {}
    while len(chosen) < max_sentences:
        pool = []
        for c in cands[1:]:
            if c.score < ratio * chosen[0].score or c.own <= 0 or any(c is d for d in chosen):
                continue
            n = normalize(c.text)
            if any(n in x or x in n or _restates(n, x, near) for x in seen) or used + len(c.text) > max_chars:
                continue
            pool.append(c)
        if not pool:
            break
        new_type = [c for c in pool if c.gives - given]

        def value(c: Cand) -> float:
            if not (gain_w and total and have):
                return c.score
            sh = shares.setdefault(id(c), _shares(support, c.text))
            gain = sum(wt * max(0.0, x - h) for x, h, wt in zip(sh, have, support.weights)) / total
            return c.score + gain_w * gain

        c = new_type[0] if new_type else max(pool, key=value)      # max keeps the first of equals
        chosen.append(c)
        seen.add(normalize(c.text))
        used += len(c.text)
        given |= c.gives
        if have:
            have = [max(h, x) for h, x in zip(have, shares.get(id(c)) or _shares(support, c.text))]
    return chosen


# ----------------------------------------------------------------- leads

@dataclass(frozen=True)
class Lead:
    word: str                          # 「はい。」「いいえ。」「一概には言えません。」 or ""
    cand: Cand | None                  # the cited sentence that states it (leads the answer)
    rule: str = ""


def _states(pattern: re.Pattern, c: Cand) -> bool:
    return bool(pattern.search(normalize(c.text)))


def choose_lead(a: Analysis | None, cands: Sequence[Cand], support: Support) -> Lead:
    """`_checked_lead`, without a 「はい」 to a question that negates what its family read as asked
    (leads.negation_unread: "So we never need a licence for any buyer, right?" is no ask whether one is
    needed, and a sentence saying one is needed must not be agreed with)."""
    a = _question_last(a)
    claimed = leads.claimed_question(a.question) if a is not None and not a.parts else ""
    if claimed:
        # "Someone told us X. Is that right?": the lead reads X asked to be confirmed, not "is that right?"
        a = replace(a, question=claimed)
    lead = _checked_lead(a, cands, support)
    if a is not None and lead.word == "はい。" and lead.cand is not None:
        # CLAIM CHECK: 「北朝鮮への禁輸は軍事用の品に限られてる？」 is no 「はい」 from 「…全ての貨物の輸出は…禁止」, whatever rule
        # read its predicate (ban, polarity): the sentence states the contrary of the claim (leads.yaml claims, decides)
        word, kind = leads.claim_word(asked_sentence(normalize(a.question)), lead.cand.text, said=True)
        if word == "いいえ。" and leads.claim_decides(kind):
            return Lead("いいえ。", lead.cand, f"claim_{kind} ({lead.rule})")
    if a is not None and lead.word == "はい。" and leads.negation_unread(asked_sentence(normalize(a.question))):
        return Lead("", None, f"vetoed {lead.rule}: the question negates what was read as asked (leads.yaml negation_unread)")
    return lead


def _question_last(a: Analysis | None) -> Analysis | None:
    """The question read with what is told after its asking sentence moved before it (anpo.leads.question_last:
    「…ですよね？うちはずっとそれで照合してるんだけど」): whether it asserts or asks yes/no is read from the asking
    sentence, as the analysis would have read it last (not permission: 「…大丈夫ですか？ちなみに…」 keeps its reading)."""
    moved = leads.question_last(a.question) if a is not None and not a.parts else ""
    if not moved:
        return a
    from anpo.analysis import analyse
    b = analyse(moved, _part=True)
    # (and the situation words are those told around the asking sentence, 「導入の年月もあわせて確認したい」's 年月, not the
    # asked ones the analysis took for situation when it read the told sentence as the asked one)
    asking = normalize(asked_sentence(normalize(moved)))
    soft = tuple(dict.fromkeys([w for w in a.soft if normalize(w) not in asking] + list(b.soft)))
    return replace(a, question=moved, premise=a.premise or b.premise, asserting=a.asserting or b.asserting, soft=soft,
                   intents=a.intents + tuple(i for i in b.intents if i == "yesno" and i not in a.intents))


def lead_trace(a: Analysis | None, cands: Sequence[Cand], support: Support, lead: Lead) -> tuple[str, list[str]]:
    """Why a yes/no question got no はい/いいえ (`anpo ask --explain`): the NAME of the gate that dropped the lead, and
    what the asked proposition and the close sentences were read as.  Gates, in the order the composer meets them:
    not_yesno, wh, vetoed (leads.agrees contradicted the sentence), premise_not_needed (no sentence contradicts the
    premise), permission (no denial), no_family (no predicate family and no echo of the asked predicate), no_stance (no
    close sentence states or denies the family), same_object, complement_shared, coverage (the sentence with a stance
    states too few of the asked words), conditional, other.  ("", lines) when a はい/いいえ led."""
    if lead.word in ("はい。", "いいえ。"):
        return "", []
    if a is None or not cands:
        return "no_candidates", []
    a = _question_last(a)
    q = normalize(a.question)
    asked = asked_sentence(q)
    fam, neg = leads.asked(asked)
    pred = leads.asked_predicate(asked)
    lines = [f"asked: {leads.after_reasons(asked)}  family={fam.name if fam else '—'} negated={neg} "
             f"predicate={pred[0] + ('(neg)' if pred[1] else '') if pred else '—'} premise={a.premise or '—'} "
             f"permission={a.permission} intents={','.join(a.intents)}"]
    w = load_rules().weights
    best = cands[0]
    close = [c for c in cands if c.score >= w["follow_ratio"] * best.score and c.own > 0][:4]
    words = _topic_words(support)
    feats = []
    for c in close:
        st = leads.stance(leads.clause_about(c.text, words, fam), fam)
        f = dict(pos=c.pos, stance=st, polar=leads.polar_word(asked, c.text, words), echo=leads.echo_word(asked, c.text),
                 same_object=leads.same_object(fam, asked, c.text),
                 complement=leads.complement_shared(asked, c.text, fam),
                 states=_asked_words_stated(support, a, c.text), cover=round(_focus_cover(support, a, c.text)[1], 2),
                 conditional=_states(load_rules().premise["conditional"], c))
        feats.append(f)
        lines.append(f"  cand [{c.pos}] stance={st or '—'} polar={f['polar'] or '—'} echo={f['echo'] or '—'} "
                     f"same_object={f['same_object']} complement_shared={f['complement']} states={f['states']} "
                     f"cover={f['cover']} conditional={f['conditional']}: {c.text[:50]}")
    yesno = "yesno" in a.intents or a.permission or bool(a.premise) or leads.declarative_yesno(asked) or leads.confirms(asked)
    if lead.word:
        gate = "depends"
    elif not yesno:
        gate = "not_yesno"
    elif lead.rule.startswith("vetoed"):
        gate = "vetoed"
    elif lead.rule.startswith("lead ") and "dropped" in lead.rule:
        gate = "dropped_type_or_number"
    elif load_rules().premise["wh"].search(leads.after_reasons(asked)) and not a.premise:
        gate = "wh"
    elif fam is None and not any(f["echo"] for f in feats):
        gate = "no_family"
    elif not any(f["stance"] in ("+", "-") or f["echo"] for f in feats):
        gate = "no_stance"
    elif not any(f["same_object"] for f in feats if f["stance"] in ("+", "-")) and not any(f["echo"] for f in feats):
        gate = "same_object"
    elif a.premise == "not_needed":
        gate = "premise_not_needed" + ("" if any(f["complement"] for f in feats if f["stance"]) else "/complement_shared")
    elif a.permission:
        gate = "permission"
    elif not any(f["states"] for f in feats if f["polar"] or f["echo"]):
        gate = "coverage"
    elif all(f["conditional"] for f in feats if f["polar"] or f["echo"]):
        gate = "conditional"
    else:
        gate = "other"
    return gate, lines


def _checked_lead(a: Analysis | None, cands: Sequence[Cand], support: Support) -> Lead:
    """The lead and the sentence that carries it, only where a cited sentence states it; every
    「はい」/「いいえ」 is checked against what its sentence says of the asked clause
    (anpo.leads.agrees): one that contradicts its own sentence is dropped."""
    vetoed = []
    given = cands
    said = _claim_lead(a, cands, support, said=True)
    if said is not None:
        # a claim the question words outright (「別の組織？」「今も懲役のまま？」「例外ゼロ？」「ずっと使える？」) and a close
        # sentence that rejects it answer before a sentence that merely shares the asked words (「…に当たります」)
        return said
    cands = [c for c in cands if not leads.past_rule(c.text)]     # 「…より前は…対象外とされていました」 is no answer now
    for _ in range(3):
        lead = _choose_lead(a, cands, support)
        if a is None or lead.cand is None:
            break
        if lead.word == "はい。" and leads.case_claim_unsaid(asked_sentence(normalize(a.question)), lead.cand.text):
            # 「業界で有名だから公知に当たりますよね？」: what holds for 公知 does not say the asker's case is one
            vetoed.append(f"{lead.rule} [{lead.cand.pos}] (case unsaid)")
            cands = [c for c in cands if not _same(c, lead.cand)]
            lead = Lead("", None)
            continue
        if lead.rule in ("ban", "ban_exception", "group_from_table", "listed_in_table", "exemption_holds", "figure", "threshold", "premise_excepted",
                         "premise_stated"):
            break           # a ban or a table's group is stated by the table, not by a predicate
        groups = frozenset(c.group.lower() for c in a.countries if c.group)
        if leads.agrees(lead.word, asked_sentence(normalize(a.question)), lead.cand.text, groups, normalize(a.question),
                        words=_topic_words(support)):
            break
        # the sentence a rule picked says the opposite of its word, read in its clause about the asked words (「届出理由書も
        # 今も要るの？」 ← 「…届出理由書の提出は不要になりましたが、…申請書類の送付は引き続き必要です」): that reading answers
        # (only a contrasting sentence, whose clause about the asked words is not the whole: what vetoed a word of a plain
        # sentence may be another gate than its stance — 「少額特例が適用される輸出には…包括許可を適用することはできません」)
        fam_asked = leads.asked(asked_sentence(normalize(a.question)))[0]
        opp = {"はい。": "いいえ。", "いいえ。": "はい。"}.get(lead.word, "")
        if opp and normalize(leads.clause_about(lead.cand.text, _topic_words(support), fam_asked)) != normalize(lead.cand.text) \
                and leads.polar_word(asked_sentence(normalize(a.question)), lead.cand.text, _topic_words(support)) == opp \
                and leads.agrees(opp, asked_sentence(normalize(a.question)), lead.cand.text, groups, normalize(a.question),
                                 words=_topic_words(support)):
            lead = Lead(opp, lead.cand, f"reread {lead.rule}")
            break
        # the rule picked a sentence that says the opposite: the next sentence may state it
        vetoed.append(f"{lead.rule} [{lead.cand.pos}]")
        cands = [c for c in cands if not _same(c, lead.cand)]
        lead = Lead("", None)
    if vetoed and lead.cand is None and a.premise == "not_needed" and all(v.startswith("premise_") for v in vetoed) \
            and not load_rules().premise["asserts_not_needed"].search(leads.without_condition(asked_sentence(normalize(a.question)))):
        # the premise was told outside the asked sentence (「…経理の田中さんは関係ないって言ってるんですけど」「…いらない
        # って聞いた。…それに入るのかな」) and its contradiction states what the asked sentence asks: it is asked plainly
        return _checked_lead(replace(a, premise=""), given, support)
    if lead.cand is None:
        claim = _claim_lead(a, cands, support)
        if claim is not None:
            return claim
    if vetoed and lead.cand is None:
        return Lead("", None, f"vetoed {', '.join(vetoed)}: the lead word contradicted its sentence")
    return _it_depends(a, lead, cands, support)


def _claim_lead(a: Analysis | None, cands: Sequence[Cand], support: Support, said: bool = False) -> Lead | None:
    """No rule above led: a close sentence that rejects the kind of claim the asked sentence makes
    (anpo.leads.claim_word: 「…と考えるのは誤りです」 for 「許可なしで出せる？」, 「…は任意」 for 「必ず届け出ないと
    違法？」, 「有効期限は…1年」 for 「ずっと使える？」) answers 「いいえ」, when it speaks of the asked words and
    the word agrees with what it says of the asked clause (anpo.leads.agrees)."""
    if a is None or not cands:
        return None
    pr, w = load_rules().premise, load_rules().weights
    q = normalize(a.question)
    asked = asked_sentence(q)
    yesno = "yesno" in a.intents or a.permission or bool(a.premise) or a.asserting or leads.declarative_yesno(asked) \
        or leads.confirms(asked)
    if not yesno or (not a.premise and pr["wh"].search(asked)):
        return None
    best = cands[0]
    close = [c for c in cands if c.own > 0 and c.score >= w["follow_ratio"] * best.score]
    words = _topic_words(support)
    country_groups = frozenset(c.group.lower() for c in a.countries if c.group)
    for i, c in enumerate(close[:3]):
        word, kind = leads.claim_word(asked, c.text, words, said)
        # the closest sentence naming the asker's ground as no ground (「…ヒットしなかったことだけでは…とは言えない」) rejects
        # the belief itself: its 「とは言えない」 is no stance of its own for anpo.leads.agrees to weigh
        ground = bool(word) and kind == "rejected" and i == 0 and _ground_rejected(asked, c.text, words)
        if ground:
            return Lead(word, c, "claim_ground_rejected")
        if not word or not _asked_words_stated(support, a, c.text, "condition_cover"):
            continue
        if kind == "rejected" and i > 0:
            continue        # a claim read from the question's predicate alone: only the closest sentence may reject it
                            # (「輸出等って、モノ以外も入るの？」 is not answered by the third sentence's 「…と考えるのは誤り」)
        if leads.claim_decides(kind) or leads.agrees(word, asked, c.text, country_groups, q, words=words):
            return Lead(word, c, f"claim_{kind}")
    return None


def _ground_rejected(asked: str, sentence: str, words: Sequence[str]) -> bool:
    """The closest sentence rejects a belief (「…だけでは、…非該当であるとは言えない」) by naming the asker's own ground for
    it: the question's reason (「マトリクス表で検索したけど何もヒットしなかったので、」) is said in the sentence (two of the
    words told only in the reason, anpo.leads.reason_words) with a word of the asked clause.  It speaks of the asked belief
    even when the asked clause's own words (「処理しちゃって」「うちの製品」) are not in it."""
    reason = leads.reason_words(asked, words)
    if len(reason) < 2:
        return False
    text = normalize(expand(sentence))
    said = [w for w in reason if normalize(w) in text]
    rest = [w for w in words if w not in reason and normalize(w) in text]
    return len(said) >= 2 and bool(rest)


def _answers_no_exception(q: str, sentence: str, said: bool = False) -> bool:
    """「例外はないんですか？」「例外ゼロ？」 (normalised question `q`) and a sentence stating the exception: it rejects
    the claim of no exceptions (leads.yaml claims, kind no_exception)."""
    return leads.claim_word(asked_sentence(q), sentence, said=said)[1] == "no_exception"


def _topic_words(support: Support) -> tuple[str, ...]:
    """The question's topic words in the pack's script (an English question's too): they pick the
    clause of a contrasting sentence that speaks of what is asked (anpo.leads.clause_about)."""
    return tuple(g[0] for g in support.terms)


_POLAR_RULES = ("denied", "affirmed", "polarity_need", "polarity_applies", "polarity_can")


def _it_depends(a: Analysis | None, lead: Lead, cands: Sequence[Cand], support: Support) -> Lead:
    """A plain 「いいえ」 where another close sentence states the asked clause under a condition
    (「客観要件は適用されません」 / 「…迂回輸出されるおそれがある場合に限り、インフォーム要件が
    適用されます」): it depends, led by the cited condition.  (A 「はい」 whose sentence holds its
    own condition stays: the sentence says when.)"""
    if a is not None and lead.cand is not None and lead.rule in _POLAR_RULES and lead.word == "はい。" \
            and (leads.only_if(asked_sentence(normalize(a.question)), lead.cand.text)
                 or leads.only_if(normalize(a.question) + " " + " ".join(a.context), lead.cand.text, soft=True)):
        return Lead("一概には言えません。", lead.cand, f"only_if ({lead.rule})")     # 「…場合に限り許可が必要」
    if a is None or lead.cand is None or lead.rule not in _POLAR_RULES or lead.word != "いいえ。":
        return lead
    pr = load_rules().premise
    asked = asked_sentence(normalize(a.question))
    fam, _ = leads.asked(asked)
    mine = leads.stance(lead.cand.text, fam)
    if mine not in ("+", "-"):
        return lead
    best = cands[0].score
    close = [c for c in cands if c.own > 0 and c.score >= load_rules().weights["follow_ratio"] * best]
    for c in close[:4]:
        if _same(c, lead.cand) or leads.stance(c.text, fam) not in ("+", "-") or leads.stance(c.text, fam) == mine:
            continue
        if not _asked_words_stated(support, a, c.text, "condition_cover"):
            continue
        if _states(pr["conditional"], c):
            return Lead("一概には言えません。", c, f"mixed ({lead.rule})")
    return lead


def _word_asked(asked: str) -> str:
    """The asked sentence as its question word is read: 「何か」 "anything" in a question asking whether something
    is there (「毎年なにか提出するものある？」「通関で何か手続きいる？」) is no question word — it asks yes/no, and a
    sentence naming what there is answers 「はい」 (leads.yaml / intents.yaml `anything`, `exists`, `need_asked`)."""
    pr = load_rules().premise
    if pr["exists"].search(asked) or pr["need_asked"].search(asked):
        asked = pr["anything"].sub("", asked)
    # (nor the copula 「罰金なんでしょ？」 nor an indefinite 「どこかに問い合わせないとまずい？」「何か手続きいるんでしたっけ？」 in a
    # sentence that ends asking yes/no: leads.yaml not_question_words)
    return leads.without_indefinites(asked)


def _choose_lead(a: Analysis | None, cands: Sequence[Cand], support: Support) -> Lead:
    if a is None or not cands:
        return Lead("", None)
    pr = load_rules().premise
    w = load_rules().weights
    q = normalize(a.question)
    best = cands[0]
    close = [c for c in cands if c.score >= w["follow_ratio"] * best.score and c.own > 0]
    yesno = "yesno" in a.intents or a.permission or bool(a.premise) or leads.declarative_yesno(asked_sentence(q)) \
        or leads.confirms(asked_sentence(q))
    # an assertion (…ですよね？) wants はい/いいえ even when it holds a question word (「何を送っても」)
    # a yes/no question that names a period or an amount (「審査期間って補正中も入るの？」) is no number question
    wants = {"definition", "procedure", "where_to_ask", "violation"} | (set() if "yesno" in a.intents else {"number", "date"})
    # (a question word in the reasons told before the asked clause asks nothing: 「最終ユーザーが誰かは代理店が『大丈夫』って
    # 言ってるんだけど、その言葉を信じるだけじゃ足りない？」 asks yes/no)
    wh = not a.premise and (bool(pr["wh"].search(_word_asked(leads.after_reasons(asked_sentence(q))))) or bool(wants & set(a.intents)))
    # 「北朝鮮は別表第3の2に載ってる？」 asks about a list, not about the ban
    listed = _listing_lead(a, cands) if yesno and not wh else None
    if listed is not None:
        return listed
    # a banned destination: state the ban, cited (not when a desk is asked: 「ロシアの件はどこの部署に？」 wants the desk)
    if "ban" in a.intents and a.intent != "where_to_ask":
        names = banned_names(a)
        # (「例外はないんですか？」 "no exceptions?" claims none: the ban's exception answers it, whatever case it names)
        no_exc = any(r.kind == "no_exception" for r in leads.claim_kinds(asked_sentence(q), said=True))
        # (helper route, round 13) an exception told as not the case (「人道目的とかじゃなく普通の部品」, screening.exception_denied)
        # is not asked: the ban answers
        from anpo.screening import exception_denied
        exc = next((c for c in cands if any(n and n in c.text for n in names) and (leads.ban_exception(a.question, c.text)
                    and not exception_denied(a.question) or no_exc and _answers_no_exception(q, c.text, said=True))), None)
        if exc is not None and yesno:
            if _answers_no_exception(q, exc.text):
                return Lead("いいえ。", exc, "ban_exception")     # 「例外ゼロですよね？」: the exception, cited, says there is one
            if re.search(leads.rules().raw["exception_asked"], leads.after_reasons(asked_sentence(q))):
                return Lead("はい。", exc, "ban_exception")     # 「人道目的なら例外になることってある？」: the exception, cited, is one
            # 「人道目的なら？」: the exception, cited; a banned destination is never 「一概には言えません」 (the deal route's word too)
            return Lead("条件次第です。", exc, "ban_exception")
        # (a ban of "the banned destinations" as such, 「禁止措置の対象国向けの貨物を、第三国の企業を経由して送ることも禁止」,
        # holds for each of them)
        bans = [c for c in cands if _states(pr["ban"], c) and (any(n and n in c.text for n in names) or leads.any_banned_place(c.text))
                and not leads.states_exception(c.text)]
        # a ban that names the asked product (or bans all goods) before one of other items
        products = _asked_goods(a)
        ban = next((c for c in bans if _ban_covers(a, products, c.text)), bans[0] if bans else None)
        if ban is not None:
            # "can we export?" → いいえ; "is anything banned?" → はい; a ban of other items says neither
            # 「何か輸入しても大丈夫？」 asks yes/no: 「何か」 is no question word here
            asks_which = not a.premise and (bool(pr["wh"].search(pr["anything"].sub("", asked_sentence(q)))) or bool(wants & set(a.intents)))
            # a ban of a way of sending (「…第三国の企業を経由して送ることも禁止」) answers for any goods sent that way, asked
            # of that way (「香港経由で送れば問題ない？」: the asked words stated)
            covers = _ban_covers(a, products, ban.text) or leads.any_banned_place(ban.text) and _asked_words_stated(support, a, ban.text, "condition_cover")
            word = ban_word(q, ban.text) if yesno and not asks_which and covers else ""
            return Lead(word, ban, "ban")
    if wh and yesno and not pr["wh"].search(_word_asked(asked_sentence(q))):
        # 「…行政処分で輸出禁止になって、それが最長3年って聞いたけど本当？」: a violation (or number) question that
        # asserts a figure asks whether it holds (anpo.leads.asserted_figure), with no question word
        figure = _figure_lead(a, [c for c in cands if c.own > 0 and c.score >= w["premise_ratio"] * best.score], support)
        if figure is not None:
            return figure
    if wh or not yesno:
        return Lead("", None)
    group = _group_lead(a, cands)
    if group is not None:
        return group
    near = [c for c in cands if c.own > 0 and c.score >= w["premise_ratio"] * best.score]
    figure = _figure_lead(a, near, support)
    if figure is not None:
        return figure
    # 「ネットで公開済みの技術も規制される？」: a close sentence saying the exemption (公知) holds answers it
    # (the question describes the exemption's case, the sentence says it holds: that is the link)
    ex = next((c for c in near[:4] if leads.exemption_word(asked_sentence(q), c.text, q)), None)
    if ex is not None:
        return Lead(leads.exemption_word(asked_sentence(q), ex.text, q), ex, "exemption_holds")
    if a.premise == "not_needed":
        # "no licence/check needed, right?": a sentence saying it is needed (or applies) answers いいえ
        # the contradicting sentence that speaks most of the asked words; one that says so
        # outright (「…であっても必要」) before one that merely says something is needed
        ranked = []
        groups = frozenset(x.group.lower() for x in a.countries if x.group)
        # the words of the premise's reasons (「タダであげるんだから売買じゃないし、」) are why the asker believes it: a
        # contradicting sentence must speak of the asked clause (輸出管理の対象外), the reason's words only rank it
        ar = replace(a, soft=a.soft + leads.reason_words(asked_sentence(q), tuple(g[0] for g in support.terms)))
        fam_applies = leads.asked(asked_sentence(q))[0]
        fam_applies = fam_applies if fam_applies is not None and fam_applies.name == "applies" else None
        for i, c in enumerate(near):
            if leads.other_group(asked_sentence(q), c.text, groups):
                continue        # 「グループAなら…いらないでしょ？」 is not contradicted by what グループA以外 needs
            cover = _focus_cover(support, ar, c.text)[1]
            if fam_applies and not leads.complement_shared(asked_sentence(q), c.text, fam_applies):
                continue        # 「輸出管理の対象外？」 is not contradicted by 「立入検査は…企業が主な対象になる」 (another 対象)
            strong = _states(pr["contradicts_strong"], c)
            # (or its stance, read in the clause about the asked words, states what the premise denies: 「遵守基準のほうもやらなくて
            # OK？」 ← 「輸出者等遵守基準の遵守は法律上の義務である一方、…CPの策定…は任意」, a 義務 no pattern of the premise names)
            if cover >= w["premise_cover"] and (strong or _states(pr["contradicts"], c) or _states(pr["affirms"], c)
                                                 or leads.polar_word(asked_sentence(q), c.text, _topic_words(support)) == "いいえ。"):
                ranked.append((round(cover, 1), strong, round(_focus_cover(support, a, c.text)[1], 1), -i, c))
        against = max(ranked, key=lambda r: r[:4])[4] if ranked else None
        holds = _premise_holds(a, close, support, against)
        if holds is not None:
            return holds
        if against is not None:
            if leads.states_premise(q, against.text):
                # 「許可なしで出せる特例あったよね？」 ← 「…を許可なく輸出できる特例で、…申告する必要があります」: the sentence says
                # the asker's thing is not needed; its 「必要」 is of another (the declaration): the premise holds
                return Lead("はい。", against, "premise_stated")
            if leads.excepted(asked_sentence(q), against.text):
                return Lead("はい。", against, "premise_excepted")      # 「Xの場合は不要？」 ← 「Xの場合を除き、必要」
            if leads.only_under_condition(against.text):
                # 「…通知を受けていなければ…不要と考えてよい？」 ← 「…通知を受けた場合に限り許可が必要」: needed only then
                return Lead("一概には言えません。", against, "premise_only_if")
            return Lead("いいえ。", against, "premise_contradicted")
        return Lead("", None)
    if leads.exclusive(asked_sentence(q)):
        # "only X?": a close sentence that extends the rule beyond X (「X向けでも」「Xのほかに…にも」) answers いいえ
        # (X itself need not be stated: the extension names what is beyond it, 「判定は装置本体だけやればいい？」 ← 「該非判定は
        # 貨物だけでなく、技術…についても必要です」; the rest of the asked clause must be)
        x = leads.exclusive_subject(asked_sentence(q))
        bx = replace(a, soft=a.soft + tuple(g[0] for g in support.terms if x and normalize(g[0]) in x)) if x else a
        ext = next((c for c in near[:4] if leads.extends(c.text, asked_sentence(q))
                    and _asked_words_stated(support, bx, c.text, "condition_cover")), None)
        if ext is not None:
            return Lead("はい。" if leads.not_enough(asked_sentence(q)) else "いいえ。", ext, "premise_extended")
    # 「それだけで直ちに罰則の対象？」: a close sentence restricting it to another case answers いいえ
    res = next((c for c in near[:4] if leads.restricted(asked_sentence(q), c.text)
                and _asked_words_stated(support, a, c.text, "condition_cover")), None)
    if res is not None:
        return Lead("いいえ。", res, "restricted")
    fam, _ = leads.asked(asked_sentence(q))
    if a.premise == "asserted" and not pr["negated"].search(asked_sentence(q)):
        # "X, right?" and a close sentence denies X
        close_deny = [c for c in near if c.score >= w["follow_ratio"] * best.score]
        # a denial that says nothing of the asked predicate must state the whole asked clause
        # (「非該当証明書は経済産業省に提出する書類ではない」 is no いいえ to 「…そのまま使っても大丈夫ですよね？」)
        # nor is a sentence whose main clause affirms (「技術の提供は、…を問わず規制の対象になります」)
        # (a negation inside a modifier, 「懸念が払拭されない企業・組織のリストで、…公表しています」, denies nothing: leads.predicative)
        against = next((c for c in close_deny if _states(pr["denies"], c) and leads.predicative(pr["denies"], c.text, asked_sentence(q)) and (
            fam is None or leads.stance(c.text, fam) is not None or _asked_words_stated(support, a, c.text))
            and not (pr["affirms"].search(leads.main_clause(c.text)) and not pr["negated"].search(leads.main_clause(c.text)))), None)
        if against is not None and not _premise_stated(a, close_deny, against, support):
            return Lead("いいえ。", against, "premise_denied")
    if a.permission or a.asserting and fam is not None and fam.name == "can":
        # 「…そのまま使っても大丈夫ですよね？」 asks permission too: a sentence saying not to answers いいえ
        stop = next((c for c in close if _states(pr["forbids"], c) and _focus_cover(support, a, c.text)[1] >= w["premise_cover"]), None)
        if stop is not None:
            return Lead("いいえ。", stop, "permission_forbidden")
    if a.permission:
        # 'Can we use the small-value exemption for Iran?': a close sentence whose main clause denies
        # that it may be done (「イラン向けの輸出には…少額特例を適用できない」) answers いいえ, before any condition
        words = _topic_words(support)
        denials = [c for c in close[:5] if fam is not None and fam.name in ("can", "applies")
                   and leads.polar_word(asked_sentence(q), c.text, words) == "いいえ。"
                   and not re.search(r"場合|とき|おそれ", c.text) and _asked_words_stated(support, a, c.text)]
        # one that names the asked destination before one about destinations in general
        deny = next((c for c in denials if _names_destination(a, c.text)), denials[0] if denials else None)
        if deny is not None:
            return Lead("いいえ。", deny, "permission_denied")
        # 「一概には言えません」 only with a cited reason that speaks of what is asked
        reason = next((c for c in close if _states(pr["contradicts"], c)
                       and _asked_words_stated(support, a, c.text, "condition_cover")), None)
        if reason is not None:
            # (helper route, round 14, a one-line change in lead's function) asked leave to skip a step (「判定せずに出して
            # いい？」「とりあえず予定通り出荷しちゃっていい？」, screening.skips_a_step): the reason it may be needed says いいえ
            from anpo.screening import skips_a_step
            return Lead("いいえ。" if skips_a_step(a.question) else "一概には言えません。", reason, "permission_condition")
        return Lead("", None)
    fam_neg = leads.asked(asked_sentence(q))[1]
    # (a negation in the reasons told before the asked clause is what the asker heard, not what is asked: 「…『軍事転用なんて
    # あるわけない』って言われたんですが、民生品でも転用されるおそれってあるんですか？」 asks the positive)
    if pr["negated"].search(leads.without_obligation(leads.after_reasons(asked_sentence(q)))) or \
            fam is not None and fam_neg and fam.name == "applies":
        # 「守らなきゃいけない？」 holds ない but asks the positive; 「…とは無関係だよね」 "never apply" ask the
        # negative without ない (only the applies family: "a list of prohibited companies" names, it does not deny)
        return _negated_lead(a, near, support)
    need = bool(pr["need_asked"].search(asked_sentence(q)))
    exists = bool(pr["exists"].search(asked_sentence(q))) and not need     # 「必要がありますか」 asks need, not existence
    # 「何か…ある？」: what is there is named by the words the question says, every one of them
    anything = bool(pr["wh"].search(asked_sentence(q))) and not pr["wh"].search(_word_asked(asked_sentence(q)))
    may_deny = not need
    if fam is not None and fam.name in leads.rules().raw.get("own_stance_only", ()):
        return _polar_lead(a, close, support, own=True)     # 「お金かかる？」 is not affirmed by 「2週間程度かかる」
    # the closest sentence that states the asked clause decides: it affirms it (はい), or denies it
    # (いいえ; never for "is a licence/check needed?", where a denial would say none is needed)
    for c in close:
        stated, cover = _focus_cover(support, a, c.text)
        if cover < w["yes_cover"]:
            continue
        states = _asked_words_stated(support, a, c.text)
        # the main clause denies, not a reason before it (「…法令上の用語ではないため、…表現が使われます」)
        if pr["negated"].search(leads.main_clause(c.text)):
            if may_deny and states and _states(pr["denies"], c):
                if a.countries and not _names_destination(a, c.text):
                    # 「イラン向けでも少額特例って使える？」: a denial naming Iran before one about 包括許可
                    mine = next((d for d in close if _names_destination(a, d.text) and pr["negated"].search(normalize(d.text))
                                 and _states(pr["denies"], d) and _focus_cover(support, a, d.text)[1] >= w["yes_cover"]
                                 and _asked_words_stated(support, a, d.text)), None)
                    if mine is not None:
                        return Lead("いいえ。", mine, "denied")
                return Lead("いいえ。", c, "denied")
            continue
        # "is X needed?" is answered はい only by a sentence that says X is needed
        if states and _states(pr["affirms"], c) and (not need or _states(pr["need_stated"], c)):
            return Lead("はい。", c, "affirmed")
        if exists and stated >= 1 and pr["abolished"].search(leads.main_clause(c.text)):
            # 「懲役って今もあるの？」 ← 「…懲役と禁錮は廃止されて拘禁刑に一本化されました」: what is asked for is gone
            # (renamed or abolished), said of the asked thing by name; asked of the past (「あった？」), it was
            named = all(t in normalize(c.text) for t in _focus_words(support, a))
            if named:
                past = pr["asked_past_tense"].search(asked_sentence(q))
                return Lead("はい。" if past else "いいえ。", c, "exists" if past else "abolished")
            continue
        if exists and stated >= 1:
            if anything and stated < len(_focus_words(support, a)):
                continue        # 「年に一回何か提出するものある？」 is not answered by a sentence about the first filing
            if re.search(leads.rules().raw["absent"], normalize(c.text)):
                # 「決まった書式とかあるの？」 is no はい from 「…法令で定められた様式はなく…」 (it says there is none), nor from a
                # less close sentence that merely names the asked words
                exists = False
                continue
            return Lead("はい。", c, "exists")       # the sentence names what is asked for
    # one close sentence says no, another says yes under a condition: it depends, with that condition
    if any(_states(pr["denies"], c) for c in close):
        cond = next((c for c in close if _states(pr["conditional"], c) and _states(pr["contradicts"], c)
                     and _asked_words_stated(support, a, c.text, "condition_cover")), None)
        if cond is not None:
            # a closer sentence that states the asked clause outright, without a condition, answers it
            # (「輸出者等遵守基準の遵守は法律上の義務である一方、…」 before a sentence about reporting violations)
            pol = _polar_lead(a, close[:close.index(cond)], support)
            if pol.word == "はい。" and not _states(pr["conditional"], pol.cand):
                return pol
            return Lead("一概には言えません。", cond, "conditional")
    return _polar_lead(a, close, support)


def _premise_stated(a: Analysis, close: Sequence[Cand], against: Cand, support: Support) -> bool:
    """「…も対象ってことですよね？」: the denial is no 「いいえ」 when it or a sentence at least as close
    states the asserted clause (anpo.leads.polar_word 「はい」; 「…グループA向けであっても…許可が必要
    です」 before 「…呼称は法令上の用語ではない」): the premise holds, the denial is about something else."""
    asked = asked_sentence(normalize(a.question))
    for c in close:
        if leads.polar_word(asked, c.text) == "はい。" and (_same(c, against) or _asked_words_stated(support, a, c.text, "condition_cover")):
            return True
        if leads.echo_word(asked, c.text) == "はい。" and _asked_words_stated(support, a, c.text, "condition_cover"):
            return True     # 「…連動して変わる？」 ← 「…対象範囲も自動的に変わります」: the asked predicate itself, stated
        if _same(c, against):
            return False
    return False


def _focus_words(support: Support, a: Analysis) -> tuple[str, ...]:
    """The asked clause's own topic words: not those told only in the situation or carried from the part before."""
    told = set(a.soft) | set(a.context)
    return tuple(g[0] for g in support.terms if g[0] not in told)


def _asked_words_stated(support: Support, a: Analysis, text: str, share: str = "yes_cover") -> bool:
    """`text` states the asked clause: it covers enough of the clause's words (the `share`
    weight), and at least two of them (or, when the clause names only one, that one and a word
    of the situation)."""
    w = load_rules().weights
    stated, cover = _focus_cover(support, a, text)
    focus = _focus_words(support, a)
    ctx = [i for i, g in enumerate(support.terms) if g[0] in set(a.context)]
    if ctx and share != "condition_cover":
        # a part that says "it" is answered by a sentence about that subject (「少額特例は…キャッチオール規制には適用されず」),
        # not by one about its own words alone (「グループA向けには…客観要件は適用されません」)
        have = set(tokens(expand(text), normalized=True))
        if not any(t and t <= have for i in ctx for t in support.term_tokens[i]):
            return False
    if share == "condition_cover":
        # a condition need not state the whole clause; when the clause has no words of its own
        # (「…なんだけど、進めていい？」) it speaks of the situation
        return cover >= (w[share] if focus else w["premise_cover"])
    if cover < w[share]:
        return False
    if stated >= 2:
        return True
    return stated >= 1 and len(focus) <= 1 and support.covered(expand(text)) >= w["premise_cover"]


def _jointly_stated(support: Support, a: Analysis, same: Sequence[Cand]) -> Cand | None:
    """Of close sentences that say the same of the asked predicate (the same lead word), two that each state part
    of the asked clause (the `condition_cover` share) and together state it (`yes_cover`, as one sentence must):
    the first of them, which leads (the other is quoted after it).  「展示会にサンプルを持っていくのも輸出？」 ←
    「無償のサンプルを…提供することも、…輸出に当たります」 + 「展示会に出品するために…持ち出すことも、…輸出に当たります」."""
    part = [c for c in same if _asked_words_stated(support, a, c.text, "condition_cover") and _focus_cover(support, a, c.text)[0] >= 1]
    pairs = [(_focus_cover(support, a, c.text + " " + d.text)[1], c, d) for i, c in enumerate(part) for d in part[i + 1:]
             if _asked_words_stated(support, a, c.text + " " + d.text)]
    if not pairs:
        return None
    # the pair that states most of the asked clause; of it, the sentence that states more leads (the closer on a tie)
    _, c, d = max(pairs, key=lambda p: p[0])
    return d if _focus_cover(support, a, d.text)[1] > _focus_cover(support, a, c.text)[1] else c


def _polar_lead(a: Analysis, close: Sequence[Cand], support: Support, own: bool = False) -> Lead:
    """No pattern above fired: the closest sentence whose main clause states the asked
    predicate (or its opposite, anpo.leads) answers はい/いいえ.  A denial of "is X needed?" only
    when the sentence says so without a condition (「任意」「不要です」, not 「…場合は不要」).
    `own`: the family's own words (料金, 費用) are its predicate, which the stance reads (「…は無料で
    利用できます」 answers 「NACCSの申込みって料金かかる？」): the rest of the asked words must be stated."""
    pr = load_rules().premise
    asked = asked_sentence(normalize(a.question))
    b = _own_words_soft(a, support, close)
    for c in close[:3]:
        if not _asked_words_stated(support, b, c.text, "condition_cover" if own else "yes_cover"):
            continue
        word = leads.polar_word(asked, c.text, _topic_words(support))
        fam, neg = leads.asked(asked)
        if not word or fam is None:
            continue
        if fam.name == "need" and leads.stance(c.text, fam) == "-" and _states(pr["conditional"], c):
            continue
        return Lead(word, c, f"polarity_{fam.name}")
    # no one sentence states the whole asked clause: two that say the same of it, each of one asked case, and no close
    # sentence that says the opposite (「クラウドで共有するだけでも、海外子会社への技術の提供に当たる？」 ← 「…クラウドサービスを
    # 通じて共有…も、技術の提供に当たります」 + 「海外子会社に設計図…を送ることは、…技術を提供する取引に当たるため…」)
    fam, _ = leads.asked(asked)
    if not own:
        # a predicate no family names (変わる, 判定してもらえる): the close sentence whose main clause repeats it
        # (anpo.leads.echo_word), stating the asked clause's words, answers with its polarity
        # (the asked predicate's own word is checked by the echo itself, in the pack's word for it: 「自分でやる」 ← 「自ら行う」)
        pred = leads.asked_predicate(asked)
        be = replace(b, soft=b.soft + tuple(g[0] for g in support.terms if pred and normalize(g[0]) in pred[0])) if pred else b
        for c in close[:3]:
            echo = leads.echo_word(asked, c.text)
            if echo and not leads.polar_word(asked, c.text, _topic_words(support)) and _asked_words_stated(support, be, c.text):
                return Lead(echo, c, "echo")
    if fam is None or own:
        return Lead("", None)
    words = _topic_words(support)
    said = [(c, leads.polar_word(asked, c.text, words)) for c in close[:4]]
    said = [(c, w) for c, w in said if w and not _states(pr["conditional"], c)]
    if len({w for _, w in said}) == 1:
        joint = _jointly_stated(support, b, [c for c, _ in said])
        if joint is not None:
            return Lead(said[0][1], joint, f"polarity_{fam.name}_jointly")
    return Lead("", None)


def _figure_lead(a: Analysis, near: Sequence[Cand], support: Support) -> Lead | None:
    """「…最長5年って聞いたけど合ってる？」: the closest sentence that states the asked words and a figure of
    the asserted unit answers (anpo.leads.figure_word: はい when it states the figure, いいえ when another)."""
    asked = asked_sentence(normalize(a.question))
    if leads.asserted_figure(asked) is None:
        # 「日本に来て3か月経てば居住者でしょ？」: a figure made the condition of the claim (anpo.leads.threshold_word)
        return _threshold_lead(a, near, support) if leads.condition_figure(asked) is not None else None
    # the figure itself and its qualifiers (最長, 上限) are what is checked, not words a sentence must state
    qualifiers = leads.rules().raw["figures"]["qualifiers"]
    b = replace(a, soft=a.soft + tuple(g[0] for g in support.terms if re.search(r"\d", g[0]) or re.search(qualifiers, g[0])))
    said = [(c, leads.figure_word(asked, c.text)) for c in near[:4]]
    # any close sentence stating the figure confirms it (「最長10年？」: the 10年 case beside a 5年 one) …
    yes = next((c for c, word in said if word == "はい。" and _asked_words_stated(support, b, c.text)), None)
    if yes is not None:
        return Lead("はい。", yes, "figure")
    # … and only the closest that states the asked words with other figures of the unit denies it
    no = next((c for c, word in said if word and _asked_words_stated(support, b, c.text)), None)
    if no is not None and not any(word == "はい。" for _, word in said):
        return Lead("いいえ。", no, "figure")
    return None


def _threshold_lead(a: Analysis, near: Sequence[Cand], support: Support) -> Lead | None:
    """The closest sentence stating the asked claim after a threshold of the asked unit answers (anpo.leads.threshold_word):
    はい at or past its figure, いいえ short of it; the figure itself is checked, not a word a sentence must state."""
    asked = asked_sentence(normalize(a.question))
    b = replace(a, soft=a.soft + tuple(g[0] for g in support.terms if re.search(r"\d", g[0])))
    for c in near[:3]:
        word = leads.threshold_word(asked, c.text)
        if word and _asked_words_stated(support, b, c.text, "condition_cover"):
            return Lead(word, c, "threshold")
    return None


def _names_destination(a: Analysis, text: str) -> bool:
    """`text` names a destination the question names (as the tables or the question call it)."""
    t = normalize(text)
    return any(normalize(n) in t for x in a.countries for n in (x.name, x.text) if n)


def _own_words_soft(a: Analysis, support: Support, close: Sequence[Cand] = ()) -> Analysis:
    """The asked family's own words (料金 for cost, 無関係 for applies) are its predicate, which the
    stance reads: they leave the words a sentence must state."""
    asked = asked_sentence(normalize(a.question))
    fam, _ = leads.asked(asked)
    # (and the words of the asked predicate itself, 「お金取られる」's 金取, and of a comparison, 「コンサルみたいに」's コンサル)
    spans = leads.unasked_spans(asked, fam)
    own = tuple(g[0] for g in support.terms if leads.own_word(fam, g[0]) or any(normalize(g[0]) in sp for sp in spans))
    if support.english and close:
        # an English word left untranslated ("flying", "myself") that no close sentence holds: the pack is Japanese,
        # no sentence of it can state the word ("Does carrying them myself count as exporting?" ← 「…ハンドキャリー…も、
        # 貨物の輸出に当たります」); names the pack spells in Latin letters (NACCS, FPGA) stay when a sentence holds them
        held = " ".join(normalize(c.text) for c in close)
        own += tuple(g[0] for g in support.terms if g[0].isascii() and re.fullmatch(r"[a-z][a-z'-]+", g[0])
                     and not re.search(rf"\b{re.escape(g[0])}", held))
    return replace(a, soft=a.soft + own) if own else a


def _premise_holds(a: Analysis, close: Sequence[Cand], support: Support, against: Cand | None) -> Lead | None:
    """「公知の技術なら許可はいらないって本当？」: the closest sentence says so in its main clause
    (「公知の技術を提供する取引は…許可が不要です」), without a condition, and speaks of the asked
    clause more than the sentence that would contradict it: はい with it."""
    pr = load_rules().premise
    asked = asked_sentence(normalize(a.question))
    fam, _ = leads.asked(asked)
    floor = _focus_cover(support, a, against.text)[1] if against is not None else 0.0
    for c in close[:3]:
        if against is not None and _same(c, against):
            return None         # the contradicting sentence is the closer one
        if fam is None or leads.stance(leads.main_clause(c.text), fam) is None:
            continue
        if leads.polar_word(asked, c.text) != "はい。" or _states(pr["conditional"], c):
            continue
        if _asked_words_stated(support, a, c.text) and _focus_cover(support, a, c.text)[1] > floor:
            return Lead("はい。", c, "premise_holds")
    return None


def _negated_lead(a: Analysis, near: Sequence[Cand], support: Support) -> Lead:
    """「輸出には当たらないですよね？」「対象外でしょ？」: a close sentence stating the asked
    predicate answers 「いいえ」; one that agrees gets no polarity word (it may state a past rule)."""
    # asked plainly too (「…取引できないんですか？」 'Does that mean we can't…?'): only 「いいえ」,
    # and only from a sentence whose main clause states the asked predicate
    asked = asked_sentence(normalize(a.question))
    b = _own_words_soft(a, support, near)
    words = _topic_words(support)
    # the four closest that speak of the asked predicate (sentences about the list's contents say nothing of it)
    polar = [c for c in near if leads.polar_word(asked, c.text, words)][:4]
    for c in polar:
        if _asked_words_stated(support, b, c.text) and leads.polar_word(asked, c.text, words) == "いいえ。" \
                and not _states(load_rules().premise["conditional"], c):     # 「…場合に限り適用」 is no plain いいえ
            return Lead("いいえ。", c, "negated_premise_contradicted")
    # 「展示会にサンプル持ってくだけだし、輸出には当たらないよね？」 ← 「無償のサンプルを…提供することも、輸出に当たります」 +
    # 「展示会に出品するために…持ち出すことも、輸出に当たります」: each states it of one of the asked cases, together of both
    joint = _jointly_stated(support, b, [c for c in polar if leads.polar_word(asked, c.text, words) == "いいえ。"
                                         and not _states(load_rules().premise["conditional"], c)])
    if joint is not None:
        return Lead("いいえ。", joint, "negated_premise_contradicted_jointly")
    # 「…とは無関係だよね」 ← 「…用途や需要者によっては許可が必要になります」: "not necessarily not" corrects it
    fam, neg = leads.asked(asked)
    if fam is not None and neg:
        for c in near[:2]:
            if leads.stance(c.text, fam) == "?" and _asked_words_stated(support, b, c.text):
                return Lead("いいえ。", c, "negated_premise_not_necessarily")
    # 「…改正されても範囲は変わらないでしょ？」 ← 「…対象範囲も自動的に変わります」: the asked predicate itself, stated
    # (anpo.leads.echo_word; a predicate no family names)
    echo = next((c for c in near[:3] if leads.echo_word(asked, c.text) == "いいえ。" and not leads.polar_word(asked, c.text, words)
                 and _asked_words_stated(support, b, c.text)), None)
    if echo is not None:
        return Lead("いいえ。", echo, "negated_echo")
    return Lead("", None)


def ban_word(q: str, sentence: str) -> str:
    """A ban answers 「はい」 when the question asks whether it is banned (「禁止？」) or covered
    (「ベラルーシも同じ扱い？」), 「いいえ」 when it asks "can we export?".  Asked the negative (「何も輸出できないんですよね？」), a ban of all
    goods answers 「はい」 and a ban of some goods 「いいえ」."""
    pr = load_rules().premise
    fam, neg = leads.asked(leads.after_reasons(asked_sentence(q)))
    from anpo.screening import asks_if_fine
    if asks_if_fine(q) and not (pr["anything"].search(q) and not pr["ban_total"].search(normalize(sentence))):
        # (helper route, round 14) the asked clause ends 「…大丈夫だよね？」「…送ってもいいって聞いた。そうなの？」: whatever it says
        # before (「間に中国企業が入るし」 is no 'is it covered?', 「禁止なのは武器だけ」 no 'is it banned?'), a ban answers いいえ
        return "いいえ。"
    if pr["ban_asked"].search(leads.after_reasons(asked_clause(q))):
        return "はい。"         # (not a ban conceded before the asked clause: 「送るのはダメでも、…経由すれば問題ない？」)
    if pr["anything"].search(q) and not pr["ban_total"].search(normalize(sentence)):
        return ""               # 「ロシアに何か送っても問題ない？」: a ban of some items says neither
    if neg and fam is not None and fam.name == "can":
        if pr["ban_total"].search(normalize(sentence)):
            return "はい。"
        # a ban of some items says not everything is banned; one of another dealing (仲介貿易取引も) says neither
        return "いいえ。" if pr["ban_partial"].search(normalize(sentence)) else ""
    if fam is not None and fam.name == "applies" and not neg:
        return "はい。"         # 「ベラルーシも同じ扱い？」「…も対象？」: the ban applies
    return "いいえ。"


def _asked_goods(a: Analysis, goods: Sequence | None = None) -> tuple[str, ...]:
    """The goods a ban question asks about: its product slots and the ban measures' word for them
    (トラック → 貨物自動車), else the thing it names in the asker's words (「食品」「文房具」), so a ban
    sentence that does not name them gives no はい/いいえ (「ロシアに食品を輸出できる？」 is not answered
    いいえ by the sentence banning machine tools and semiconductors)."""
    from anpo.tables import ban_goods, named_thing
    goods = ban_goods(a.question) if goods is None else goods
    q = normalize(a.question)
    # (helper deal) and the asker's own word for them when a ban sentence writes it (ブルドーザ in 「…ブルドーザー等です」)
    named = leads.product_names(a.products) + tuple(normalize(g.pack_word) for g in goods) \
        + tuple(t for g in goods for t in g.terms if not t.isascii() and t in q)
    if named or a.language != "ja":
        return named            # an English name never stands in a Japanese ban sentence
    # (helper deal) or the generic word for goods (「ロシアに部品を送れますか？」): a ban of other items says nothing of it
    thing = normalize(named_thing(a.question)) or normalize(_product_words(a.question))
    return (thing,) if thing else ()


def _ban_covers(a: Analysis, products: tuple[str, ...], sentence: str) -> bool:
    """The ban sentence answers for the asked goods, or bans exports to the recipient the question
    names (「ロシアの航空機メーカーに…」 and 「特定団体（…ロシアの航空機メーカーなど…）への輸出等も禁止」)."""
    s = normalize(sentence)
    named = re.finditer(leads.rules().raw["ban_recipient"], normalize(a.question))
    return leads.ban_covers(products, sentence) or any(m.group(0) in s for m in named)


_ENUMERATION = re.compile(r"^(?P<subj>[^。]{2,60}?)は、(?P<members>[^。]{2,400}?)の\d+か国(?:・地域)?です")


def _listing_lead(a: Analysis, cands: Sequence[Cand]) -> Lead | None:
    """「イランは国連武器禁輸国？」「イラクって懸念国に入ってる？」: a cited sentence listing every member of the
    asked list (「輸出令別表第3の2（国連武器禁輸国・地域）は、アフガニスタン、…スーダンの10か国です」) answers
    はい when it names the country and いいえ when it does not (the sentence counts them: the list is whole)."""
    countries = [c for c in a.countries if c.name]
    if len(countries) != 1 or a.premise == "not_needed" or a.permission:
        return None
    asked = asked_sentence(normalize(a.question))
    # (an English question names the list in its English words; its topic holds the pack's: "is a 国連武器禁輸国 ?")
    named = asked + (" " + normalize(a.topic) if a.language == "en" else "")
    c = countries[0]
    for cand in cands:
        m = _ENUMERATION.search(normalize(cand.text))
        if m is None or not _names_the_list(named, m.group("subj")):
            continue
        members = {x.strip() for x in re.split(r"[、,]", m.group("members"))}
        same = normalize(c.name) in members or normalize(c.text) in members
        if load_rules().premise["negated"].search(asked) and not asked.isascii():
            same = not same         # 「イランって国連武器禁輸国じゃないよね？」: 「はい」 agrees that it is not
        return Lead("はい。" if same else "いいえ。", cand, "listed_in_table")
    return None


def _names_the_list(asked: str, subject: str) -> bool:
    """The question names the list the sentence's subject is (its 別表 number, or its name in brackets:
    「国連武器禁輸国・地域」, 「いわゆる懸念国」 → 国連武器禁輸国, 懸念国)."""
    table = re.search(r"別表第\d+(?:の\d+)?", subject)
    if table and re.search(re.escape(table.group(0)) + r"(?!の\d)", asked):
        return True
    label = re.search(r"[（(](?:いわゆる)?(?P<label>[^）)]{2,20}?)(?:・地域)?[）)]", subject)
    return bool(label) and not label.group("label").startswith("グループ") and label.group("label") in asked


def _group_return(a: Analysis, c, asked_group: str, asked: str, cands: Sequence[Cand]) -> Lead | None:
    """「韓国ってホワイト国に戻ったんだっけ？」: a country asked to be back in a group it is in now (the
    tables), with a cited sentence stating its return (「…再び加える…」「…復帰…」) → はい."""
    if not re.search(leads.rules().raw["group_return"], asked):
        return None             # ("a few years back" is ago, not back in the group)
    want = "a" if re.search("ホワイト|white", asked_group) else asked_group[-1]
    if c.group.lower() != want:
        return None
    back = next((x for x in cands if normalize(c.name) in normalize(x.text) and re.search(r"再び|復帰", x.text)), None)
    return Lead("はい。", back, "group_from_table") if back is not None else None


def _group_lead(a: Analysis, cands: Sequence[Cand]) -> Lead | None:
    """「韓国ってグループAだっけ？」: the tables know the country's group; はい or いいえ with the
    cited sentence that names the country with its group."""
    pr = load_rules().premise
    asked = asked_sentence(normalize(a.question))
    m = pr["group_asked"].search(asked)
    countries = [c for c in a.countries if c.group]
    # 「ホワイト国だから許可はいらないよね？」 asks about the licence; the group is its premise
    if m is None or len(countries) != 1 or a.premise == "not_needed" or a.permission:
        return None
    # what changed, told as the reason (「…外されたから、今もグループAじゃないよね？」 "was taken off …, so it still isn't in
    # Group A, right?"), is not asked: the clause after it asks the group now
    now = leads.after_reasons(asked)
    if pr["group_changed"].search(now):
        return _group_return(a, countries[0], m.group(0), now, cands)
    if leads.group_is_premise(asked):
        return None             # 「グループAの国にもキャッチオールは適用される？」 asks about the control
    want = "a" if re.search("ホワイト|white", m.group(0)) else m.group(0)[-1]
    c = countries[0]
    have = c.group.lower()
    states = re.compile(rf"{re.escape(normalize(c.name))}[^。]{{0,160}}グループ\s*{have}(?![a-z])")
    stating = [x for x in cands if states.search(normalize(x.text))]
    if not stating:
        return None
    # the sentence whose subject is the country (its table row) before one that mentions it
    cand = min(stating, key=lambda x: not normalize(x.text).startswith(normalize(c.name)))
    same = want == have
    if leads.group_complement(now):
        same = not same         # "…handled like non-Group A destinations, right?" 「グループA以外の扱い？」: asks it is outside
    elif pr["negated"].search(now) and (not asked.isascii() or not re.match(leads.rules().raw["english_inverted"], now.strip())):
        same = not same         # 「中国ってグループAじゃないよね？」: 「はい」 agrees that it is not; "it isn't in Group A, right?" too
                                # (not "Isn't Korea in Group A?", which asks whether it is)
    return Lead("はい。" if same else "いいえ。", cand, "group_from_table")


@lru_cache(maxsize=1)
def _said_as_rows() -> tuple[tuple[re.Pattern, re.Pattern], ...]:
    import yaml
    from anpo.analysis import RULES_PATH
    d = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8")).get("part_answered", {})
    return tuple((re.compile(r["asked"], re.I), re.compile(r["said"], re.I)) for r in d.get("said_as", ()))


def _said_as(word: str, text: str) -> bool:
    """A topic word the pack says its own way (data/intents.yaml part_answered.said_as, the table a multi-part answer
    reads too: スマホ → スマートフォン, リモート → ウェブ会議) is stated by a sentence that says it that way (「…タブレットや
    スマートフォンでは受験できません」 states 「スマホで受けられる？」's スマホ)."""
    w = normalize(word)
    return any(asked.fullmatch(w) and said.search(normalize(text)) for asked, said in _said_as_rows())


def _focus_cover(support: Support, a: Analysis, text: str) -> tuple[int, float]:
    """How many of the asked clause's words `text` states, and the weighted share it covers
    (words told only in the situation around the question do not count)."""
    have = set(tokens(expand(text), normalized=True))
    soft = set(a.soft) | set(a.context)         # (a part's words from the part before are its context)
    idx = [i for i, g in enumerate(support.terms) if g[0] not in soft] or list(range(len(support.terms)))
    stated, got, total = 0, 0.0, 0.0
    for i in idx:
        alts, wt = support.term_tokens[i], support.weights[i]
        # (or said the pack's way: 「スマホ」 ← 「スマートフォン」, data/intents.yaml part_answered.said_as)
        said = any(t and t <= have for t in alts) or _said_as(support.terms[i][0], text)
        stated += said
        got += wt * (1.0 if said else max((len(t & have) / len(t) for t in alts if t), default=0.0))
        total += wt
    return stated, (got / total if total else 0.0)


def _type_first(a: Analysis | None, chosen: list[Cand], cands: Sequence[Cand]) -> list[Cand]:
    """A question asking for an answer type (answer_types: until 「いつまで有効？」, duration 「どの程度で
    結果が出る？」, order 「どの順番で？」) leads with the best sentence that gives it, when one scores at
    least weights.type_first of the best and the first chosen gives none of the asked types."""
    if a is None or not chosen or chosen[0].gives:
        return chosen
    ratio = load_rules().weights.get("type_first", 1.0)
    top = cands[0].score if cands else 0.0
    holder = next((c for c in cands if c.gives and c.own > 0 and c.score >= ratio * top), None)
    if holder is None:
        return chosen
    return [holder] + [c for c in chosen if not _same(c, holder)][:len(chosen) - 1]


def _asked_unit(a: Analysis | None) -> re.Pattern | None:
    """The look of the number a question asks for by its counter word (number_units: 何か国 → 27か国,
    何年くらい使える → 有効期間), None when it names no counter (the number intent's own gives are too wide)."""
    if a is None or "number" not in a.intents:
        return None
    q = normalize(a.question)
    unit = next((g for ask, g, _ in load_rules().number_units if ask.search(q)), None)
    # a question stating the figure itself (「金額は合計80万円。少額特例でいける？」「上限は100万円ですよね？」) asks of it, not for it
    return None if unit is None or unit.search(q) else unit


def _number_first(a: Analysis | None, chosen: list[Cand], cands: Sequence[Cand]) -> list[Cand]:
    """Number and date questions lead with the sentence that holds the number (unless the first
    sentence gives what the question asks for: 「いつまで有効？」 is answered by 「有効期限は…1年」)."""
    if a is None or not {"number", "date"} & set(a.intents) or (chosen and chosen[0].gives):
        return chosen
    rules = load_rules()
    date = "date" in a.intents and "number" not in a.intents
    gives = rules.intent("date").gives if date else rules.number_gives(a.question)
    if any(g.search(normalize(chosen[0].text)) for g in gives):
        return chosen
    top = cands[0].score
    holder = next((c for c in cands if c.own > 0 and c.score >= 0.5 * top and any(g.search(normalize(c.text)) for g in gives)), None)
    if holder is None:
        return chosen
    return [holder] + [c for c in chosen if c is not holder][:len(chosen) - 1]


# a sentence naming a desk: an office (課・室・班・局) or 窓口/問い合わせ先/相談先 given as who answers
_DESK = re.compile(r"(問い合わせ先|相談先|窓口|審査課|管理課|審査班|検査官室|経済産業局|cistec)(は|が|です|に|で|へ|を|の(?:窓口|担当))")


def _desk_first(a: Analysis | None, chosen: list[Cand], cands: Sequence[Cand]) -> list[Cand]:
    """A desk question (「どこの部署に電話すれば？」) leads with the sentence naming the desk, when one scores
    close to the best (not with the rule the desk is asked about)."""
    if a is None or a.intent != "where_to_ask" or not chosen or _DESK.search(normalize(chosen[0].text)):
        return chosen
    top = cands[0].score
    desk = next((c for c in cands if c.own > 0 and c.score >= 0.5 * top and _DESK.search(normalize(c.text))), None)
    if desk is None:
        return chosen
    return [desk] + [c for c in chosen if c is not desk][:len(chosen) - 1]


_YEAR = re.compile(r"((?:19|20)\d\d)年")


def _year(c: Cand) -> int:
    return max((int(y) for y in _YEAR.findall(normalize(c.text))), default=0)


def _newest_first(a: Analysis | None, chosen: list[Cand], cands: Sequence[Cand] = ()) -> list[Cand]:
    """A count given by two sentences for two dates (「2018年…529団体」「2025年…835団体」):
    the one with the later year leads, unless the question names a year itself.  The later one
    may be a candidate not chosen, when it covers the topic as well as the lead does."""
    if a is None or "number" not in a.intents or not chosen or _YEAR.search(normalize(a.question)):
        return chosen
    gives = load_rules().number_gives(a.question)
    dated = [c for c in chosen if _year(c) and any(g.search(normalize(c.text)) for g in gives)]
    if chosen[0] not in dated:
        return chosen
    dated += [c for c in cands if c not in chosen and c.own >= chosen[0].own and _year(c)
              and any(g.search(normalize(c.text)) for g in gives)]
    newest = max(dated, key=_year)
    if _year(newest) <= _year(chosen[0]):
        return chosen
    return ([newest] + [c for c in chosen if c is not newest])[:len(chosen)]


def _definition_terms(a: Analysis) -> list[str]:
    """The asked term as the question writes it and as the pack may (its key-term spellings;
    an English question's term mapped to the pack's Japanese)."""
    t = leads.definition_term(a.question)
    if not t:
        return []
    # the term's head word as the pack writes it (an English term's first key term is mapped to
    # the pack's Japanese by the synonym table: deemed export → みなし輸出); not every topic word,
    # or 「What is the penalty for exporting…」 would be led by a sentence defining 輸出
    head = key_terms(t)[:1]
    terms = [t] + [alt for g in head for alt in g]
    return list(dict.fromkeys(x for x in terms if len(x) >= 2))


def _definition_first(a: Analysis | None, chosen: list[Cand], cands: Sequence[Cand],
                      hits: Sequence[Hit]) -> list[Cand]:
    """「Xとは／Xって何／What is X」 leads with the sentence that defines X (「Xとは…」「…をXと
    いいます」, or the first sentence under a heading 「Xとは」), when one was retrieved."""
    if a is None or "definition" not in a.intents or not chosen:
        return chosen
    terms = _definition_terms(a)
    if not terms:
        return chosen

    def defining(c: Cand) -> bool:
        if leads.defines(c.text, terms):
            return True
        loc = normalize(hits[c.pos - 1].chunk.locator)
        first = c.start <= min((d.start for d in cands if d.pos == c.pos), default=c.start)
        return first and any(loc.endswith(f"{normalize(t)}とは") for t in terms)

    d = next((c for c in cands if c.own > 0 and defining(c)), None)
    if d is None or _same(chosen[0], d):
        return chosen
    return [d] + [c for c in chosen if not _same(c, d)][:len(chosen) - 1]


def _pack_first(chosen: list[Cand], hits: Sequence[Hit]) -> tuple[list[Cand], tuple[str, ...]]:
    """An uploaded passage never leads over the pack; a conflict on the question is noted."""
    if not chosen or not is_upload(hits[chosen[0].pos - 1].chunk):
        return chosen, ()
    pack = [c for c in chosen if not is_upload(hits[c.pos - 1].chunk)]
    if not pack:
        return chosen, ()
    ups = [c for c in chosen if is_upload(hits[c.pos - 1].chunk)]
    neg = load_rules().premise["negated"]
    conflict = any(bool(neg.search(normalize(u.text))) != bool(neg.search(normalize(pack[0].text))) for u in ups)
    note = ("アップロードされた資料にナレッジパックと異なる記載があります。ナレッジパックの記載を優先しています。",) if conflict else ()
    return pack + ups, note


def _same(c: Cand, d: Cand | None) -> bool:
    return d is not None and (c.pos, c.start) == (d.pos, d.start)


def _with_qualifier(lead: Lead, chosen: list[Cand], cands: Sequence[Cand], max_sentences: int) -> list[Cand]:
    """A correction (「いいえ。」 + its sentence) keeps the sentence that follows it in its passage
    when that one speaks of the topic too: the condition or exception that makes it a correction
    (「直ちに禁止されるものではありません」 → 「…懸念区分と一致するときは許可申請が必要です」)."""
    if lead.cand is None or lead.word != "いいえ。":
        return chosen
    nxt = min((c for c in cands if c.pos == lead.cand.pos and c.start >= lead.cand.end and c.own > 0),
              key=lambda c: c.start, default=None)
    if nxt is None or any(_same(c, nxt) for c in chosen):
        return chosen
    rest = [c for c in chosen if not _same(c, lead.cand)]
    return rest[:max(0, max_sentences - 2)] + [nxt]


# ----------------------------------------------------------------- the general answer

def hits_gap(prev: Cand, c: Cand) -> bool:
    """Another sentence stands between two quoted sentences of one passage (the spans are
    whitespace apart when they are neighbours)."""
    return c.start - prev.end > 2

def render(lead: Lead, chosen: Sequence[Cand], english: bool = False,
           notes: tuple[str, ...] = (), explain: tuple[str, ...] = ()) -> Draft:
    """Lead word + its sentence first (with marker), then the others in reading order."""
    order = list(chosen)
    if lead.cand is not None:
        order = [lead.cand] + [c for c in order if c is not lead.cand]
    head, rest = order[:1], sorted(order[1:], key=lambda c: (c.pos, c.start))
    lines, highlights = [], {}
    prev = None
    for i, c in enumerate(head + rest):
        word = lead.word if i == 0 and lead.cand is not None else ""
        # 「このため、…」 quoted without the sentence it refers to stands alone without its connective
        # (English answers are rebuilt from the whole sentence by anpo.english)
        follows = prev is not None and prev.pos == c.pos and prev.end <= c.start and not hits_gap(prev, c)
        text = c.text if english or follows else leads.alone(c.text)
        lines.append(f"{word}{_clean(text)} [{c.pos}]")
        highlights.setdefault(c.pos, []).append((c.start, c.end))
        prev = c
    body = "\n".join(lines)     # an English question's answer is rebuilt in English by anpo.english
    return Draft(body, {k: tuple(v) for k, v in highlights.items()}, notes, explain)


class ExtractiveBackend:
    """Offline answerer: quotes the sentences that best cover the question, each with its
    passage's marker.  It never follows instructions found in questions or passages."""

    name = "extractive"

    def __init__(self, max_sentences: int = 3, max_chars: int = 420):
        self.max_sentences = max_sentences
        self.max_chars = max_chars

    def answer(self, question: str, hits: Sequence[Hit], support: Support) -> Draft:
        a = support.analysis if isinstance(support.analysis, Analysis) else analyse(question)
        cands = candidates(hits, support, a)
        if not cands:
            return Draft("", {})
        chosen = _type_first(a, pick(cands, self.max_sentences, self.max_chars, support), cands)
        chosen = _newest_first(a, _number_first(a, chosen, cands), cands)
        chosen = _desk_first(a, chosen, cands)
        chosen = _definition_first(a, chosen, cands, hits)
        chosen, notes = _pack_first(chosen, hits)
        lead = choose_lead(a, cands, support)
        if lead.word and lead.cand is not None and not lead.cand.gives and asked_type_words(a.question, leaving=True):
            # the words asking for the type (「昔は別の名前だった？」) are no topic words (analysis.asked_type_words), so they
            # cannot check the lead's sentence: a はい/いいえ comes only from a sentence giving what is asked
            explain_drop = f"lead {lead.rule} dropped: [{lead.cand.pos}] gives no asked type"
            lead = Lead("", None, explain_drop)
        unit = _asked_unit(a)
        if lead.word and lead.cand is not None and unit is not None and not unit.search(normalize(lead.cand.text)) \
                and unit.search(normalize(chosen[0].text)):
            # 「…何か国あるんでしたっけ？」「何年くらい使える？」: a count asked by its counter word is answered by the sentence
            # holding the count; a はい/いいえ from a sentence without it (a rule about the same table) does not answer it
            lead = Lead("", None, f"lead {lead.rule} dropped: [{lead.cand.pos}] holds no asked number")
        if not lead.word and lead.cand is not None and chosen[0].gives and not lead.cand.gives:
            # a lead without a word (the ban stated) follows the sentence giving what is asked (「どの順で？」)
            chosen = [chosen[0]] + [lead.cand] + [c for c in chosen[1:] if not _same(c, lead.cand)][:max(0, len(chosen) - 2)]
            lead = replace(lead, cand=None)
        chosen = _with_qualifier(lead, chosen, cands, self.max_sentences)
        explain = tuple(f"sentence [{c.pos}] {c.score:.2f} ({c.why()}): {c.text[:40]}…" for c in chosen)
        if lead.rule and lead.cand is not None:
            explain += (f"lead {lead.rule}: 「{lead.word}」 + [{lead.cand.pos}] {lead.cand.text[:40]}…",)
        elif lead.rule:
            explain += (f"lead {lead.rule}",)
        gate, trace = lead_trace(a, cands, support, lead)
        if gate:
            explain += (f"lead gate: {gate}",) + tuple(trace)
        return render(lead, chosen, support.english, notes, explain)


# ----------------------------------------------------------------- shaped answers

class Cites:
    """Passages cited by a composed answer, numbered by position (for `finalize`)."""

    def __init__(self):
        self.hits: list[Hit] = []
        self.highlights: dict[int, list[tuple[int, int]]] = {}

    def add(self, chunk: Chunk, span: tuple[int, int] | None = None) -> int:
        for i, h in enumerate(self.hits, 1):
            if h.chunk.chunk_id == chunk.chunk_id:
                break
        else:
            self.hits.append(Hit(chunk=chunk, score=0.0, rank=len(self.hits) + 1))
            i = len(self.hits)
        if span:
            self.highlights.setdefault(i, []).append(span)
        return i

    def draft(self, lines: Sequence[str], explain: Sequence[str] = ()) -> Draft:
        return Draft("\n".join(l for l in lines if l), {k: tuple(v) for k, v in self.highlights.items()},
                     (), tuple(explain))


def recipe_sentence(name: str, retrieve: Retrieve, extra: str = "", skip: set[str] = frozenset()
                    ) -> tuple[Chunk, int, int, str] | None:
    """The best sentence for a fixed step (data/intents.yaml recipes): retrieved with the
    recipe's query, matching every `prefer` pattern, most query words first."""
    query, prefer = load_rules().recipes[name]
    want = set(tokens(expand(query + " " + extra), normalized=True))
    return _best_sentence(retrieve(f"{query} {extra}".strip(), 6), want, 0.05, 0.0,
                          lambda sent, n: n not in skip and all(p.search(n) for p in prefer)
                          and not load_rules().provenance.search(n))


def _best_sentence(hits, want: set, per_rank: float, floor: float, accept: Callable[[str, str], bool]
                   ) -> tuple[Chunk, int, int, str] | None:
    """The sentence of `hits` (pack passages, not uploads or suspicious ones) that `accept(sent, normalized)`
    takes and that holds the largest share of the `want` words, a little ahead when its passage ranks
    higher (per_rank / rank); None when none scores above `floor`."""
    best, best_score = None, floor
    for rank, h in enumerate(hits, 1):
        if h.chunk.suspicious or is_upload(h.chunk):
            continue
        for s, e in sentence_spans(h.chunk.text):
            sent = h.chunk.text[s:e]
            if not accept(sent, normalize(sent)):
                continue
            score = len(want & set(tokens(expand(sent), normalized=True))) / max(1, len(want)) + per_rank / rank
            if score > best_score:
                best, best_score = (h.chunk, s, e, sent), score
    return best


def _cite_recipe(cites: Cites, name: str, retrieve: Retrieve, extra: str = "", used: set[str] | None = None) -> str:
    used = used if used is not None else set()
    got = recipe_sentence(name, retrieve, extra, used)
    if got is None:
        return ""
    chunk, s, e, sent = got
    used.add(normalize(sent))
    return f"{_clean(sent)} [{cites.add(chunk, (s, e))}]"


def product_answer(a: Analysis, retrieve: Retrieve, chunk: Callable[[str], Chunk | None], chunks: Sequence[Chunk] = ()
                   ) -> tuple[Draft, list[Hit]]:
    """"Is my X controlled?": candidates by name (項番 + item, cited rows) or none found by name,
    then how to check and that catch-all still applies, each sentence cited."""
    from anpo.tables import absent_as_cleared, bare_thing, load_lexicon, named_thing, surface, written
    cites, used = Cites(), set()
    # a banned destination is a ban first, whatever the goods (「ロシアにインバーターを送るのは規制対象？」)
    ban = _ban_line(a, retrieve, cites, used)
    from anpo.screening import asks_if_fine
    if not a.permission and a.premise != "not_needed" and not asks_if_fine(a.question):
        # 「ロシアに送るのは規制対象？」: 「いいえ」 would read "not controlled"; the cited ban says more ((helper route, round 14)
        # not when the question asserts no rule 「規制対象外だよね？」 or asks whether it is fine 「…送っても大丈夫だよね？」)
        ban = ban.removeprefix("いいえ。")
    lines = [ban] if ban else []
    if ban and chunks:
        # (helper deal, round 12) 「トルコの代理店経由にすれば」「少額なら」: the sentences settling that for the ban join it
        from anpo.screening import ban_scope_sentences
        for c, s, e in ban_scope_sentences(a, chunks):
            if normalize(c.text[s:e]) not in used and _clean(c.text[s:e]) not in ban:
                used.add(normalize(c.text[s:e]))
                lines.append(f"{_clean(c.text[s:e])} [{cites.add(c, (s, e))}]")
    from anpo.screening import classification_delegated
    if not lines and (a.premise == "not_needed" and re.search(r"該[非否]判定", normalize(a.question))
                      or classification_delegated(a.question)):
        # (helper route, round 13) 「役所に資料を送れば向こうで決めてくれる？」 "ask METI to classify for us": the same cited duty
        # 「…だから該非判定はいらないよね？」: the cited duty says otherwise
        why = _cite_recipe(cites, "product_check_needed", retrieve, "", used)
        lines += [f"いいえ。{why}"] if why else []
    if not lines and absent_as_cleared(a.question):
        # 「検索でヒットしなかったから非該当で出していい？」: the pack says no hit does not make it 非該当
        why = _cite_recipe(cites, "product_none_found", retrieve, "", used)
        lines += [f"いいえ。{why}"] if why else []
    named = [p for p in a.products if p.candidates]
    from anpo.screening import asks_if_named
    # (helper deal) 「…って一覧に名前出てきましたっけ？」 asks whether the name is on the list like 「載ってる？」
    listed = bool(load_rules().premise["listed"].search(normalize(a.question))) or asks_if_named(a.question)
    # on the list by name → はい; controlled? → depends on the specifications (該非判定)
    check_asked = bool(load_rules().premise["check_asked"].search(normalize(a.question)))
    # 「はい」 only when the cited row names it, itself or by a lexicon row that names the same goods
    # (ペプチド合成装置); a row that only offers candidates (遠心分離機 → 細菌製剤用製造装置) never asserts
    same = {normalize(e.term) for e in load_lexicon() if e.may_assert(a.question)}
    direct = any(normalize(p.text) in ({normalize(p.item)} | same) for p in named)
    # (helper deal) the asked sentence names the row's own term (「カーボンの素材（いわゆる炭素繊維）…炭素繊維って一覧に名前
    # 出てきましたっけ？」): the term the row writes is what is asked about
    direct = direct or asks_if_named(a.question) and any(
        p.item and normalize(p.item) in asked_sentence(normalize(a.question)) for p in named)
    # goods the pack names as added to the list (ペプチド合成装置, 高エントロピー合金) asked 「リスト規制の対象？」
    from anpo.screening import asks_if_listed
    added = any(normalize(p.text) in same for p in named) and asks_if_listed(a.question)
    from anpo.screening import refuted_claim
    # (helper route, round 13) 「…だから規制対象外と判断して大丈夫ですよね？」: the assertion of no rule, refuted by the cited
    # 「…に当たる可能性があります」 / 「ヒットしなかったことだけでは…」 (screening.refuted_claim)
    word = "はい。" if (direct and listed) or added or check_asked else \
        "いいえ。" if refuted_claim(a) else "一概には言えません。"
    # 「どの項番に入っていますか？」 asks which, not whether (「規制対象かどうか知りたい」 asks whether)
    asked = asked_sentence(normalize(a.question)).replace("かどうか", "")
    wh = load_rules().premise["wh"]
    # (helper route, round 14) a question word in the asker's reasons asks nothing (「同梱するだけなんで、…判定せずに出して
    # いいですか？」: 「なんで」 is 'since')
    asked = leads.after_reasons(asked) if not wh.search(leads.after_reasons(asked)) else asked
    # (helper deal) …unless a yes/no of its own asks whether they are on the list first (「規制に入ってるんですか？入ってるなら
    # 何の項？」「規制対象？何項？」): that one is answered, the which follows in the rows
    whether = any(not wh.search(p) and load_rules().premise["listed"].search(p) or re.search(r"規制(対象|品|され|の対象)", p)
                  and not wh.search(p) for p in re.split(r"[?？]", asked) if p.strip())
    if wh.search(asked) and not check_asked and not whether:
        word = ""
    from anpo.screening import asks_about_change
    if not lines and asks_about_change(a.question) and (added := _added_lines(a, named, retrieve, cites, used)):
        # 「FPGAのボード、規制が変わったって本当？」「施行はいつ？」: the amendment that names them answers first
        lines += [("" if word == "" else "はい。") + added[0]] + added[1:]
    for p in named:
        refs = "".join(f"[{cites.add(c, (0, len(c.text)))}]" for c in (chunk(i) for i in p.chunk_ids) if c is not None)
        rows = " ".join(dict(c.fields).get("item_name", "") for c in (chunk(i) for i in p.chunk_ids) if c is not None)
        item = written(rows, p.item) if p.item else ""      # 「FPLDを組み込んだモジュール」 as the table writes it
        name = f"「{surface(a.question, p.text)}」" + (f"（{item}）" if item and p.item != p.text else "")
        lines.append(f"{'' if lines else word}{name}は、リスト規制の{'、'.join(p.candidates)}に当たる可能性があります {refs}。"
                     f"{_kouban_fields(chunk(i) for i in p.chunk_ids)}仕様によっては対象外となるため、該非判定で確認してください。")
    if not named:
        # the asker's own name for the thing, when the question gives one (「インバーター」), else the generic words
        thing = named_thing(a.question) or bare_thing(a.question)
        why = _cite_recipe(cites, "product_none_found", retrieve, "", used)
        which = f"「{thing}」はリスト規制一覧の項目名・製品例には見当たりませんでした。" if thing else \
            "ご質問の品目は、リスト規制一覧の品名・製品例には名前では見当たりませんでした。"
        lines.append(f"{'' if lines else word}{which}" + (f"ただし、{why}" if why else ""))
        # the table speaks in legal terms (ベアリング → 軸受, バルブ → 弁): the cited hint for searching it
        lines.append(_cite_recipe(cites, "product_legal_terms", retrieve, "", used) if thing else "")
    lines += _group_a_lines(a, retrieve, cites, used) + _used_lines(a, retrieve, cites, used) \
        + _added_lines(a, named, retrieve, cites, used)
    lines.append(_cite_recipe(cites, "product_how_to_check", retrieve, " ".join(p.item for p in a.products), used))
    lines.append(_cite_recipe(cites, "product_catch_all", retrieve, "", used))
    explain = [f"product_check: {p.text} → {', '.join(p.candidates) or 'none by name'}" for p in a.products]
    return cites.draft(lines, explain), cites.hits


def case_answer(chunks: Sequence[Chunk], sections: Sequence[str], exists: bool = False) -> tuple[Draft, list[Hit]]:
    """A case-study question: the asked sections' sentences of the case (anpo.cases.case_lines), each cited;
    「はい。」 first when asked whether such a case exists (the cited case is one)."""
    from anpo.cases import case_lines
    cites = Cites()
    lines = [f"{_clean(c.text[s:e])} [{cites.add(c, (s, e))}]" for c, s, e in case_lines(chunks, sections)]
    lines[:1] = [f"はい。{x}" for x in lines[:1]] if exists else lines[:1]
    return cites.draft(lines, [f"case: {chunks[0].doc_id if chunks else '—'} ({', '.join(sections)})"]), cites.hits


def hosting_answer(a: Analysis, retrieve: Retrieve) -> tuple[Draft, list[Hit]]:
    """People from abroad received and taught in Japan (「取引先の技術者を受け入れて機械の操作を教える」): the cited
    sentences that this is 技術の提供, that giving technology to a non-resident in Japan is みなし輸出, when a
    foreign national counts as a resident, and which technology needs a licence."""
    cites, used = Cites(), set()
    lines = [_cite_recipe(cites, r, retrieve, "", used)
             for r in ("hosting_trainees", "hosting_deemed", "hosting_resident", "hosting_listed_tech")]
    if lines and lines[0]:
        lines[0] = _shaped_lead(a, lines[0]) + lines[0]
    return cites.draft(lines, ["hosting: people from abroad taught in Japan"]), cites.hits


def _shaped_lead(a: Analysis, line: str) -> str:
    """(lead) A shaped answer's first cited sentence asked as yes/no (「研修生に技術指導するのも技術の提供になるんですか？」 ←
    「…技術指導をすることも、技術の提供に当たります」): 「はい。」/「いいえ。」 when its main clause states the asked predicate
    or its opposite (anpo.leads.polar_word) and the word agrees with it (anpo.leads.agrees); else ""."""
    q = normalize(a.question)
    asked = asked_sentence(q)
    if not ("yesno" in a.intents or a.premise) or load_rules().premise["wh"].search(asked):
        return ""
    text = re.sub(r"\s*\[\d+\]", "", line)
    word = leads.polar_word(asked, text)
    return word if word and leads.agrees(word, asked, text, question=q) else ""


def _group_a_lines(a: Analysis, retrieve: Retrieve, cites: Cites, used: set[str], goods: bool = True) -> list[str]:
    """Goods to a Group A country asked as if that lifted the rules (「韓国ってホワイト国だし規制とか関係ないっしょ」
    「アメリカ向けならCNCでも許可いらないでしょ？」): the cited sentence that list control does not change with the
    destination — what Group A relaxes is catch-all."""
    group_a = any(c.group == "A" for c in a.countries) or load_rules().premise["group_asked"].search(normalize(a.question))
    if not (group_a and goods and a.premise in ("not_needed", "asserted")):
        return []
    line = _cite_recipe(cites, "product_group_a", retrieve, "", used)
    return [line] if line else []


def _used_lines(a: Analysis, retrieve: Retrieve, cites: Cites, used: set[str]) -> list[str]:
    """Goods told as used (中古, 買い取った古い…): the cited sentences that say the checks still apply and
    why a used machine may need measuring (「中古でも該非判定しないとダメ？」)."""
    from anpo.screening import told_used
    if not told_used(a.question):
        return []
    return [x for x in (_cite_recipe(cites, r, retrieve, "", used) for r in ("product_used", "product_used_spec")) if x]


def _added_lines(a: Analysis, named: Sequence, retrieve: Retrieve, cites: Cites, used: set[str]) -> list[str]:
    """Goods the pack names as added to the list, asked when or whether (「FPGAのボードっていつから規制？何項？」):
    the cited sentence naming them with their 項番 as the amendment writes it (3の2の項(2)10), and the date
    the additions took effect.  Nothing when the added goods' sentence names none of the asked goods' 項番."""
    from anpo.screening import asks_if_listed, asks_more_than_the_row
    if not named or not (asks_more_than_the_row(a.question) or asks_if_listed(a.question)):
        return []
    got = recipe_sentence("product_added", retrieve, " ".join(p.text for p in named), used)
    keys = {c.split(" ")[0] for p in named for c in p.candidates}
    if got is None or not any(re.search(rf"(?<![0-9の]){re.escape(k)}", normalize(got[3]).replace("の項", "項")) for k in keys):
        return []
    return [x for x in (_cite_recipe(cites, "product_added", retrieve, " ".join(p.text for p in named), used),
                        _cite_recipe(cites, "product_added_date", retrieve, "", used)) if x]


def _kouban_fields(rows) -> str:
    """The field each cited row's 項番 covers, as the row itself names it (「6項は材料加工、2項は原子力の項です。」):
    「どの分野？」「何項？」 are answered with the 項's name, not only its number."""
    seen = dict.fromkeys((f.get("kouban", ""), f.get("category", "")) for f in (dict(c.fields) for c in rows if c is not None))
    named = [f"{k}項は{c}" for k, c in seen if k and c]
    return f"{'、'.join(named)}の項です。" if named else ""


def deal_answer(a: Analysis, retrieve: Retrieve, chunks: Sequence[Chunk], chunk: Callable[[str], Chunk | None]
                ) -> tuple[Draft, list[Hit]]:
    """A deal situation → the checklist an advisor runs (anpo.screening), each step cited."""
    from anpo.screening import STATUS_LABEL, Deal, as_is_withheld, as_told, catch_all_dismissed_outside_group_a, dismissed, \
        final_destination, ordered_thing, screen, settled_ask, told_ful_listed, ban_scope_sentences
    from anpo.tables import named_thing, surface, told_abroad
    # the goods by the table's name, else by the asker's own (「フォークリフト」: step 1 then says 該非判定 is needed)
    first, thing = (surface(a.question, a.products[0].text) if a.products else ""), \
        named_thing(a.question) or ordered_thing(a.question)       # 「フッ化水素の注文」
    # the goods' whole name when it holds the table's word ('CNC lathes', not 'CNC')
    first = thing if first and thing and normalize(first) in normalize(thing) else first
    product = first or thing or _product_words(a.question) or "（品目の記載なし）"
    # the country the goods end up in, not one they pass through (「UAEの商社経由でイランに」 → イラン)
    dest = final_destination(a.question, a.countries).name if a.countries else (told_abroad(a.question) or "（仕向地の記載なし）")
    user = "、".join(p for p in a.parties if p not in ("顧客",))
    # the situation as told: its red flags (使い道は教えてくれない, 現金払い, 転売, 軍関係) join the checks
    result = screen(Deal(product, dest, user, "", "", a.question), chunks, retrieve)
    cites, used = Cites(), set()
    lines = []
    from anpo.screening import classification_delegated
    ban = _ban_line(a, retrieve, cites, used)
    if ban and not a.permission and a.premise != "not_needed" \
            and load_rules().premise["need_asked"].search(normalize(a.question)):
        # 「許可いる？」 answered 「いいえ」 would say no licence is needed; (helper route, round 14) 「…中国経由なら許可とかいらない
        # よね？」 asserts none is needed, and the ban answers that いいえ
        ban = ban.removeprefix("いいえ。")
    check_asked = bool(load_rules().premise["check_asked"].search(normalize(a.question))) \
        and not leads.only_in_reasons(load_rules().premise["check_asked"], asked_sentence(normalize(a.question)))     # (lead)
    # the asker's own reason (「少額だから」「グループAだから」) answered by the cited sentence that contradicts it
    # (an exemption asked of the deal, 「少額特例でいける？」, is such a reason too)
    exemption = bool(load_rules().premise["exemption_asked"].search(asked_sentence(normalize(a.question))))
    reason, states, named = _reason_line(a, retrieve, cites, used) if (a.premise in ("not_needed", "asserted") or exemption) \
        and not ban else ("", False, False)
    if ban:
        lines += [ban] + _more_ban_goods(a, retrieve, cites, used, ban)
        # (helper deal) 「3万円くらいの小口だし」: the sentence saying the ban holds whatever the amount (screening.ban_scope_sentences)
        lines += [f"{_clean(c.text[s:e])} [{cites.add(c, (s, e))}]" for c, s, e in ban_scope_sentences(a, chunks)
                  if normalize(c.text[s:e]) not in used and _clean(c.text[s:e]) not in ban]
    elif (settled := settled_ask(a, result, chunks)):
        # (helper deal) the ask the deal question carries, settled by the facts told (screening.settled_ask: a destination's
        # group claimed, 「どっちのコンゴでも一緒」, listed goods said to need no licence): はい/いいえ from the sentences on it
        for n, (c, s, e) in enumerate(settled[1]):
            used.add(normalize(c.text[s:e]))
            lines.append(f"{settled[0] if n == 0 else ''}{_clean(c.text[s:e])} [{cites.add(c, (s, e))}]")
    elif (not_banned := _ful_not_banned(a, retrieve, cites, used)):
        # (helper deal) 「相手が外国ユーザーリストに載ってる…一切商売しちゃダメなんでしょ？」: the list is no ban (cited), then what
        # to weigh for a listed party (懸念区分, 「明らか」)
        lines += not_banned
    elif check_asked and (how := _cite_recipe(cites, "product_check_needed", retrieve, "", used)):
        lines.append(f"はい。{how}")        # 「該非判定はいりますか」: always, by the exporter (cited)
    elif classification_delegated(a.question) and (how := _cite_recipe(cites, "product_check_needed", retrieve, "", used)):
        # (helper route, round 13) 「経産省に図面送れば判定してもらえる？」: the ministry does not classify; the exporter does (cited)
        lines.append(f"いいえ。{how}")
    elif reason and states and (a.asserting or a.permission or exemption and named):
        # 「グループAだから許可いらないですよね？」 asserts what the cited sentence contradicts: いいえ; 「イラン向けに
        # 少額特例で出せる？」 asks for an exemption the cited sentence denies for that destination: いいえ too
        lines.append(f"いいえ。{reason}")
        reason = ""
    elif as_is_withheld(a.question, a.permission) and (stop := _cite_recipe(cites, "deal_withheld", retrieve, "", used)):
        # (helper deal) 「用途は言えないの一点張り。このまま出荷していい？」: not as things are — the cited sentence says such a
        # deal goes on only after the end user and use are confirmed in writing or the desk is consulted; (round 12) then why:
        # with the end user or use unknown the deal is not 「明らか」 (the same recipe's next sentence)
        lines.append(f"いいえ。{stop}")
        why = _cite_recipe(cites, "deal_not_obvious", retrieve, "", used)
        if why:
            lines.append(why)
    elif (dismissed(a.question) or a.premise == "not_needed") \
            and (flag := _flag_lead(a, result, chunks, retrieve, cites, used)):
        # (helper deal) the asker waves the concern away (「UAEは制裁対象じゃないし、気にしすぎですかね？」 "Can we just ship?")
        # while the deal told has a red flag: いいえ from the cited sentence on that flag (迂回輸出の注意信号, a withheld end user)
        lines.append(f"いいえ。{flag}")
    elif catch_all_dismissed_outside_group_a(a, result) \
            and (why := _cite_recipe(cites, "deal_outside_group_a", retrieve, "", used)):
        # (helper deal) 「ほぼホワイト国みたいなもんでしょ？キャッチオールとか気にしなくて大丈夫？」 for a destination that is not
        # Group A: いいえ from the cited sentence saying catch-all's use and end-user checks apply outside Group A
        lines.append(f"いいえ。{why}")
    elif (need := _open_need(a, result, chunks, cites, used)):
        # (helper deal) 「「コンゴ」ってだけ書いてある…どこの国か気にする必要あります？」: the destination told names no one
        # country, and the cited sentence says its official name must be confirmed: はい
        lines.append(f"はい。{need}")
    elif "ban" not in a.intents and (a.permission or "yesno" in a.intents or told_ful_listed(a.question)
                                     and a.question.rstrip().endswith(("?", "？"))) and \
            not load_rules().premise["wh"].search(asked_sentence(normalize(a.question))):
        # "may we take the order?" depends on the checks below: say so, with the cited reason (for Group A, where
        # catch-all's objective requirements do not apply, the inform notice that still can make it need a licence)
        # (helper deal) a party told to be on the End User List (deal_fields.tsv ful_listed): the sentence on what to weigh
        # for a listed end user (懸念区分, 「明らか」), not the general catch-all sentence
        why = (told_ful_listed(a.question) and _cite_recipe(cites, "deal_ful_listed", retrieve, "", used)) \
            or _group_a_reason(result, chunks, cites, used) or _cite_recipe(cites, "product_catch_all", retrieve, "", used)
        if why:
            # (helper route, round 13) 「…何も考えずに許可なしで出荷できるってことでいいんだよね？」 asserts no licence: the cited
            # 「…によっては輸出許可が必要になります」 refutes it (screening.refuted_claim); a plain ask depends
            from anpo.screening import refuted_claim
            lines.append(f"{'いいえ。' if refuted_claim(a) else '一概には言えません。'}{leads.alone(why)}")
    if reason:
        lines.append(reason)
    lines += _group_a_lines(a, retrieve, cites, used, product != "（品目の記載なし）") + _used_lines(a, retrieve, cites, used)
    # 「使い道は教えてくれない」「確認事項を教えてください」 are no teaching: actions are read without them
    told = as_told(a.question)
    if {"教える", "提供"} & {r.name for r in load_rules().actions if r.pattern.search(told)} \
            or load_rules().technology.search(normalize(told)):
        # the deal hands over technology (教える, クラウドで共有): that is 技術の提供, cited
        tech = _cite_recipe(cites, "deal_technology", retrieve, a.topic, used)
        if tech:
            lines.append(f"技術を渡す取引です。{tech}")
    lines.append("取引を進める前に、次の点を順に確認してください。")
    i = 0
    for c in result.checks:
        if not c.detail.strip():
            continue                # a step with nothing to say is no step (never 「3. 【参考】用途: 」)
        i += 1
        refs = "".join(f"[{cites.add(ch)}]" for ch in (chunk(x.chunk_id) for x in c.citations) if ch is not None)
        if not refs:
            why = _cite_recipe(cites, "destination_unknown" if c.key == "destination" else "product_catch_all",
                               retrieve, c.title, used)
            refs = re.findall(r"\[\d+\]", why)[0] if why else ""
        title = re.sub(r"^\d+\s*", "", c.title)
        # a step's own list (次にすること: 1. … 2. …) stays a list, one item a line under the step
        head, *items = [l.strip() for l in c.detail.split("\n") if l.strip()] or [""]
        head = re.sub(rf"^{re.escape(title)}[:：]\s*", "", head)      # 「用途: 用途: …」 says it once
        if items and head.endswith((":", "：")):
            head = head.rstrip(":：") + "は、次のとおりです。"
        lines.append(f"{i}. 【{STATUS_LABEL[c.status]}】{title}: {head} {refs}".rstrip())
        lines += ["　・" + _ITEM_NO.sub("", it) for it in items]
    if not any(k in {c.key for c in result.checks} for k in ("next", "next_steps", "steps")):
        nxt = _cite_recipe(cites, "deal_next", retrieve, "", used)
        if nxt:
            lines.append(f"{i + 1}. 次の一歩: {nxt}")
    explain = [f"deal: product={product} destination={dest} end_user={user or '—'}"] + \
              [f"check {c.key}: {c.status}" for c in result.checks]
    return cites.draft(lines, explain), cites.hits


def _flag_lead(a: Analysis, result, chunks: Sequence[Chunk], retrieve: Retrieve, cites: Cites, used: set[str]) -> str:
    """(helper deal) The cited sentence on the deal's red flag (screening.flag_sentence: 迂回輸出の注意信号, 軍関係), else
    for a withheld end user or use the recipe deal_withheld; "" when the deal told has no red flag of severity flag."""
    from anpo.screening import FLAG, flag_sentence, withheld
    got = flag_sentence(result, chunks)
    if got is not None:
        chunk, s, e = got
        used.add(normalize(chunk.text[s:e]))
        return f"{_clean(chunk.text[s:e])} [{cites.add(chunk, (s, e))}]"
    if withheld(a.question) and any(f.rule.severity == FLAG for f in result.red_flags):
        return _cite_recipe(cites, "deal_withheld", retrieve, "", used)
    return ""


def _ful_not_banned(a: Analysis, retrieve: Retrieve, cites: Cites, used: set[str]) -> list[str]:
    """(helper deal) A party told on the End User List, the list taken for a ban (screening.ful_banned_asked): いいえ with the
    cited sentence saying such a deal is not banned as such, then the one on what to weigh; [] otherwise."""
    from anpo.screening import ful_banned_asked
    if not ful_banned_asked(a.question):
        return []
    no = _cite_recipe(cites, "deal_ful_not_banned", retrieve, "", used)
    if not no:
        return []
    return [f"いいえ。{no}", leads.alone(_cite_recipe(cites, "deal_ful_listed", retrieve, "", used))]


def ful_not_banned_answer(a: Analysis, retrieve: Retrieve) -> tuple[Draft, list[Hit]]:
    """(helper deal) The answer of a question that tells a party on the End User List and takes the list for a ban, told
    without goods or a deal (「…外国ユーザーリストに名前が載ってるっぽい。これってもう取引しちゃダメってことなんですか」)."""
    cites = Cites()
    lines = _ful_not_banned(a, retrieve, cites, set())
    return cites.draft(lines, ["ful_not_banned"] if lines else []), cites.hits


def _open_need(a: Analysis, result, chunks: Sequence[Chunk], cites: Cites, used: set[str]) -> str:
    """(helper deal) The cited sentence saying what of an open destination must be confirmed (screening.open_need_sentence)."""
    from anpo.screening import open_need_sentence
    got = open_need_sentence(a, result, chunks)
    if got is None:
        return ""
    chunk, s, e = got
    used.add(normalize(chunk.text[s:e]))
    return f"{_clean(chunk.text[s:e])} [{cites.add(chunk, (s, e))}]"


def _group_a_reason(result, chunks: Sequence[Chunk], cites: Cites, used: set[str]) -> str:
    """For a deal to a Group A country: the cited sentence of screening's group_a passage that says when such
    a deal still needs a licence (an inform notice), or ""."""
    from anpo.screening import group_a_licence_sentence
    got = group_a_licence_sentence(result, chunks)
    if got is None:
        return ""
    chunk, s, e = got
    used.add(normalize(chunk.text[s:e]))
    return f"{_clean(chunk.text[s:e])} [{cites.add(chunk, (s, e))}]"


def _reason_line(a: Analysis, retrieve: Retrieve, cites: Cites, used: set[str]) -> tuple[str, bool, bool]:
    """For a deal whose asker gives a reason to skip a rule (「少額だから」「グループAだから」): the cited
    sentence that names that reason and contradicts it ("" when none does), and whether it states a
    need outright (only such a sentence may carry 「いいえ」; 「…には適用されません」 only qualifies), and whether
    it denies the exemption for the deal's own destination (「イラン…には、少額特例は適用できません」)."""
    rules = load_rules()
    pr, common = rules.premise, set(rules.premise_also.split()) | {"許可", "輸出", "キャッチオール"}
    # the reason is the asked clause's own word (少額, グループA), not its 許可/必要
    reason = [g[0] for g in key_terms(a.focus_query or a.topic) if g[0] not in common]
    want = set(tokens(expand(" ".join(reason)), normalized=True))
    # a sentence that names the deal's destination speaks of this deal (「イラン…には、少額特例は適用できません」)
    where = [normalize(c.name) for c in a.countries]
    best, best_score = None, 0.0
    query = " ".join(reason + where) + " キャッチオール 許可 必要"
    for rank, h in enumerate(retrieve(query, 8) if reason else (), 1):
        if h.chunk.suspicious or is_upload(h.chunk):
            continue
        for st, en in sentence_spans(h.chunk.text):
            sent = h.chunk.text[st:en]
            n = normalize(sent)
            denied = re.search("(でき|され)ません", n)
            named = bool(denied) and any(w in n for w in where)
            states = bool(pr["contradicts"].search(n)) or named
            if n in used or not (states or denied) \
                    or rules.provenance.search(n) or not any(w in n for w in reason):
                continue
            score = len(want & set(tokens(expand(sent), normalized=True))) / max(1, len(want)) + 0.05 / rank + states + named
            if score > best_score:
                best, best_score = (h.chunk, st, en, sent, states, named), score
    if best is None:
        return "", False, False
    used.add(normalize(best[3]))
    return f"{_clean(best[3])} [{cites.add(best[0], (best[1], best[2]))}]", best[4], best[5]


def banned_names(a: Analysis) -> list[str]:
    """The banned destinations a question names, as the pack writes them: the countries whose
    table name is a ban cue (north korea → 北朝鮮) and the Japanese ban cues themselves
    (ドネツク, which is no country of the tables)."""
    rule = load_rules().intent("ban")
    if rule is None:
        return []
    q = normalize(a.question)
    names = [c.name for c in a.countries if c.name and rule.match(normalize(c.name))]
    names += [m.group(0) for p in rule.cues for m in p.finditer(q) if not m.group(0).isascii()]
    return list(dict.fromkeys(names))


_ITEM_NO = re.compile(r"^\d+\.\s*")


def _ban_line(a: Analysis, retrieve: Retrieve, cites: Cites, used: set[str]) -> str:
    """For a banned destination: 「いいえ。」 + the cited sentence that states the ban."""
    if "ban" not in a.intents:
        return ""
    rules = load_rules()
    pr = rules.premise
    from anpo.tables import ban_goods
    goods = ban_goods(a.question)       # トラック → 貨物自動車: the ban measures' word for the goods (data/ban_goods.tsv)
    # the ban measures' word for the goods is searched too (油圧ショベル → 建設機械): the sentence naming them is
    # often not among the ten closest to the asker's own words
    topic = " ".join([a.topic] + [p.item for p in a.products if p.item] + [g.pack_word for g in goods])
    # (helper deal) goods sent on through another country (「大連の商社から北朝鮮の工場に回す」): the sentence banning the
    # way through a third country answers; a case the ban excepts (「100%出資の現地法人」「人道目的」): its exception is
    # looked for by the exception's own words
    q = normalize(a.question)
    banned = banned_names(a)
    via = any(c.name and c.name not in banned for c in a.countries)
    if via:
        topic += " 第三国 経由"
    # (helper deal, round 12) an exception told as not the case (「人道用途とは関係ない」) is not asked (screening.exception_denied)
    from anpo.screening import asks_as_usual, exception_denied
    denied = exception_denied(a.question)
    excepted = [r["sentence"].replace("|", " ") for r in leads.rules().raw.get("ban_exceptions", ())
                if re.search(r["question"], q, re.I)] if not denied else []
    want = set(tokens(expand(topic), normalized=True))
    products = _asked_goods(a, goods)
    ban_rule = rules.intent("ban")
    for name in banned:
        best, best_score, exception = None, -1.0, None
        others = [p.pattern for p in (ban_rule.cues if ban_rule else ()) if not p.pattern.isascii() and p.pattern != name]
        hits = retrieve(f"{name} 輸出 禁止 措置 {topic}".strip(), 10)
        if excepted:
            hits = list(hits) + list(retrieve(f"{name} 輸出 禁止 特例的 承認 {' '.join(excepted)}", 5))
        for rank, h in enumerate(hits, 1):
            if h.chunk.suspicious or is_upload(h.chunk):
                continue
            for s, e in sentence_spans(h.chunk.text):
                sent = h.chunk.text[s:e]
                n = normalize(sent)
                if exception is None and not denied and name in sent and (leads.ban_exception(a.question, sent) or
                                                           _answers_no_exception(normalize(a.question), sent, said=True)):
                    exception = (h.chunk, s, e, sent)       # 「人道目的なら？」: the ban's exception for it
                # through a third country: the sentence banning that way answers, even when it names the banned
                # destinations only as 「禁止措置の対象国」 (「トルコの代理店がロシアにも流してる」)
                if not (name in sent or via and "第三国" in sent and not any(o in sent for o in others)) \
                        or not pr["ban"].search(sent) or rules.provenance.search(n):
                    continue
                # the sentence closest to what is asked; a slide kept as history only when nothing else says it
                score = len(want & set(tokens(expand(sent), normalized=True))) / max(1, len(want)) \
                    - (1.0 if pr["history"].search(n) else 0.0) + (0.5 if pr["ban_stated"].search(n) else 0.0) + 0.02 / rank \
                    + (1.0 if products and _ban_covers(a, products, sent) else 0.0) \
                    + (1.0 if any(g.in_sentence(sent) for g in goods) else 0.0) \
                    + (1.0 if via and "第三国" in sent else 0.0)   # (helper deal) goods sent on through a third country
                if score > best_score:
                    best, best_score = (h.chunk, s, e, sent), score
        # (helper route, round 13) 「自分の子会社なんだから普通に輸出して大丈夫？」 asks to export as usual: the ban answers
        # (its exception, a special approval, is no "as usual") and the exception follows as the condition
        usual = exception is not None and best is not None and asks_as_usual(a.question) \
            and (_ban_covers(a, products, best[3]) or via and "第三国" in best[3])
        if exception is not None and (a.permission or "yesno" in a.intents or excepted) and not usual:
            chunk, s, e, sent = exception
            used.add(normalize(sent))
            # 「例外なく全部ダメ？」: the exception, cited, says there is one
            # (helper deal) never 「一概には言えません」 for a banned destination: the ban holds, its exception is a condition
            word = "いいえ。" if _answers_no_exception(normalize(a.question), sent) else "条件次第です。"
            return f"{word}{_clean(sent)} [{cites.add(chunk, (s, e))}]"
        if best is not None:
            chunk, s, e, sent = best
            used.add(normalize(sent))
            # a ban of other items says nothing of the asked product: no word
            # "which goods can't we export to Russia?" asks what is banned: no はい/いいえ
            # (helper route, round 14) read after the asker's reasons: 「おもちゃなんて軍事と何の関係もないし、普通に出荷していい
            # でしょ？」 asks no 「何」
            # and one asking whether it is fine (「…何のつながりもないんだから出していいでしょ？」) asks yes/no (screening.asks_if_fine)
            from anpo.screening import asks_if_fine
            asks_which = bool(pr["wh"].search(pr["anything"].sub("", leads.after_reasons(asked_sentence(normalize(a.question)))))) \
                and not asks_if_fine(a.question)
            # a ban of the way through a third country answers for whatever goods go that way
            covers = _ban_covers(a, products, sent) or via and "第三国" in sent
            word = ban_word(normalize(a.question), sent) if covers and not asks_which else ""
            if usual:
                xc, xs, xe, xsent = exception
                used.add(normalize(xsent))
                return f"{word}{_clean(sent)} [{cites.add(chunk, (s, e))}]\n{_clean(xsent)} [{cites.add(xc, (xs, xe))}]"
            return f"{word}{_clean(sent)} [{cites.add(chunk, (s, e))}]"
    return ""


def ban_answer(a: Analysis, retrieve: Retrieve, scope: Sequence = ()) -> tuple[Draft, list[Hit]]:
    """A question about a banned destination: the ban, cited (empty when no sentence states it); `scope`: (chunk, start,
    end) of sentences saying the ban holds whatever the amount or goods told (helper deal: screening.ban_scope_sentences)."""
    cites, used = Cites(), set()
    line = _ban_line(a, retrieve, cites, used)
    if not line:
        return Draft("", {}), []
    # (an assertion asked to be confirmed, "we can send … through Kazakhstan, correct?", asks yes/no too)
    if not (a.permission or "yesno" in a.intents or a.asserting):
        line = line.removeprefix("いいえ。").removeprefix("はい。")
    lines = [line] + _more_ban_goods(a, retrieve, cites, used, line)
    lines += [f"{_clean(c.text[s:e])} [{cites.add(c, (s, e))}]" for c, s, e in scope if _clean(c.text[s:e]) not in line]
    asked = _asked_type_line(a, retrieve, cites, used, lines)
    if asked:
        # 「ロシア向けって何をどの順番でチェックすれば？」: what is asked first, unless the ban line answers yes or no
        lines = lines + [asked] if re.match(r"(はい|いいえ|一概には言えません)。", line) else [asked] + lines
    return cites.draft(lines, ["ban: stated from the cited sentence"] + (["ban: + the sentence giving the asked type"] if asked else [])), cites.hits


def _asked_type_line(a: Analysis, retrieve: Retrieve, cites: Cites, used: set[str], said: Sequence[str]) -> str:
    """A question about a banned destination that asks for an answer type (answer_types: order
    「どの順番で？」, first step, documents, until…) the ban lines do not give: the best sentence naming
    the destination that gives it, cited ("" when none is retrieved)."""
    types = asked_types(a.question)
    names = banned_names(a)[:1]
    have = normalize(" ".join(_bare(x) for x in said))
    types = [t for t in types if not any(g.search(have) for g in t.gives)]
    if not types or not names:
        return ""
    want = set(tokens(expand(a.topic), normalized=True)) - set(tokens(" ".join(asked_type_words(a.question)), normalized=True))
    best = _best_sentence(retrieve(f"{names[0]} {a.topic}".strip(), 10), want, 0.02, -1.0,
                          lambda sent, n: names[0] in sent and n not in used
                          and any(g.search(n) for t in types for g in t.gives))
    if best is None:
        return ""
    chunk, st, en, sent = best
    used.add(normalize(sent))
    return f"{_clean(sent)} [{cites.add(chunk, (st, en))}]"


def _more_ban_goods(a: Analysis, retrieve: Retrieve, cites: Cites, used: set[str], said: str) -> list[str]:
    """The goods named by the question that the first ban sentence does not name (「建機とかトラック」: the
    slide names 貨物自動車, not 建設機械): one cited ban sentence for each (data/ban_goods.tsv)."""
    from anpo.tables import ban_goods
    pr, out = load_rules().premise, []
    names = banned_names(a)[:1]
    for g in ban_goods(a.question):
        if not names or g.in_sentence(said) or any(g.in_sentence(x) for x in out):
            continue
        found = next(((h.chunk, st, en) for h in retrieve(f"{names[0]} {g.pack_word} 輸出 禁止", 10)
                      if not (h.chunk.suspicious or is_upload(h.chunk))
                      for st, en in sentence_spans(h.chunk.text)
                      if names[0] in h.chunk.text[st:en] and g.in_sentence(h.chunk.text[st:en])
                      and pr["ban"].search(h.chunk.text[st:en]) and normalize(h.chunk.text[st:en]) not in used), None)
        if found:
            chunk, st, en = found
            used.add(normalize(chunk.text[st:en]))
            out.append(f"{_clean(chunk.text[st:en])} [{cites.add(chunk, (st, en))}]")
    return out


def _product_words(question: str) -> str:
    m = load_rules().product_noun.search(normalize(question))
    return m.group(0) if m else ""


def _bare(line: str) -> str:
    """A quoted line without its lead word and markers: the sentence itself, to compare."""
    return re.sub(r"\s*\[\d+\]|^(はい|いいえ|一概には言えません)。|（[^）]*）|\s", "", line)


def _middle(sentence: str) -> str:
    """Twelve characters from the middle of a sentence: found in its quoted line even when a
    connective was left off its start."""
    s = _bare(sentence)
    return s[max(0, len(s) // 2 - 6):len(s) // 2 + 6]


def _gives_more(a: Analysis, said: Sequence[str], line: str) -> bool:
    """A part's second sentence gives an answer type the part asks for (answer_types: 円, 2週間,
    …書、…票、) that no line of the answer gives yet."""
    have = normalize(" ".join(_bare(x) for x in said))
    new = normalize(_bare(line))
    return any(any(g.search(new) for g in t.gives) and not any(g.search(have) for g in t.gives)
               for t in asked_types(a.question))


_LED = re.compile(r"^(?:はい|いいえ|一概には言えません|条件次第です)。|^(?:yes|no|it depends)\b", re.I)


def _lead_part_first(parts: Sequence[tuple[Analysis, Draft | None, Sequence[Hit]]]) -> list:
    """The parts numbered from 1, in the order they are answered: a yes/no part whose line leads with a verdict
    (はい/いいえ/一概には言えません) goes first when the first part asks a question word (「STCってどんな試験？タブレット
    でも受けられる？」「受験料いくら？あとスマホで受けられる？」): the answer's first word is the verdict the question asks for,
    not a verdict-less line before it (each line still cites its own sentence)."""
    numbered = list(enumerate(parts, 1))
    if len(parts) < 2:
        return numbered
    def verdict(d: Draft | None) -> bool:
        return d is not None and bool(d.text) and bool(_LED.match(d.text.lstrip()))
    a0, d0, _ = parts[0]
    if verdict(d0) and d0.text.lstrip().startswith("はい。"):
        # a later part asserting what the pack contradicts (「…90日以内って決まってるんですよね？…その分も込みで90日以内に
        # 絶対許可が出るんでしょ？」): its correction leads; the first part's はい follows it
        k = next((i for i, (p, d, _) in enumerate(parts) if i > 0 and p.asserting and verdict(d)
                  and d.text.lstrip().startswith("いいえ。")), None)
        if k is not None:
            return [numbered[k]] + [n for i, n in enumerate(numbered) if i != k]
    if verdict(d0) or not (load_rules().premise["wh"].search(asked_sentence(normalize(a0.question)))
                           or {"definition", "number", "date", "procedure"} & set(a0.intents)):
        return numbered
    # (a later part asking yes/no in its own words: 「…中国は？」 asks the first part's question of another name, it follows it)
    # (nor a country asked of the group the first part lists: 「グループAって何カ国？中国は？」 reads in the asked order)
    listed = bool(load_rules().premise["group_asked"].search(normalize(a0.question)))
    k = next((i for i, (p, d, _) in enumerate(parts) if verdict(d) and "yesno" in p.intents
              and not (listed and p.countries)), None)
    if k is None:
        return numbered
    return [numbered[k]] + [n for i, n in enumerate(numbered) if i != k]


def join_parts(parts: Sequence[tuple[Analysis, Draft | None, Sequence[Hit]]]) -> tuple[Draft, list[Hit]]:
    """One line per part: its best cited sentence, and its second when that gives what the part
    asks for and no line gives yet (_gives_more); or that the pack does not say — only when no cited
    sentence of the answer, those quoted for the other parts included, answers the part
    (anpo.multipart.answered_by: 「…何団体？前より増えた？」 is answered by 「…改正前より87団体増えました」)."""
    from anpo.multipart import answered_by, verdict_first
    all_hits: list[Hit] = []
    ids: dict[str, int] = {}
    lines, highlights, explain = [], {}, []
    said: set[str] = set()
    led: set[str] = set()
    gaps: list[tuple[int, int, Analysis]] = []      # (line position, part number, part) of each part its draft does not answer
    first_q = parts[0][0].question if parts else ""

    def quote(take: list[str], draft: Draft, hits: Sequence[Hit]) -> list[str]:
        remap = {}
        for pos, h in enumerate(hits, 1):
            cid = h.chunk.chunk_id
            if cid not in ids:
                all_hits.append(h)
                ids[cid] = len(all_hits)
            remap[pos] = ids[cid]
        out = []
        for line in take:
            said.add(_bare(line))
            if _LED.match(line):
                led.add(_bare(line))
            out.append(re.sub(r"\[(\d+)\]", lambda m: f"[{remap.get(int(m.group(1)), 0)}]", line))
        for pos, spans in draft.highlights.items():
            text = hits[pos - 1].chunk.text if 0 < pos <= len(hits) else ""
            for line in take:
                if f"[{pos}]" in line:
                    # only the spans of the sentences quoted (a passage may hold both of the part's sentences)
                    highlights.setdefault(remap[pos], []).extend(
                        s for s in spans if (not text or _middle(text[s[0]:s[1]]) in _bare(line))
                        and s not in highlights.get(remap[pos], []))
        return out

    for i, (a, draft, hits) in _lead_part_first(parts):
        if draft is None or not draft.text:
            gaps.append((len(lines), i, a))
            lines.append("")
            continue
        # a part answered by the sentence an earlier part quoted takes its next sentence
        # (「特別一般包括ってどうやったら取れる？あと実地調査って何されるの」: two parts, two sentences)
        quoted = [l for l in draft.text.split("\n") if re.search(r"\[\d+\]", l)] or [draft.text.split("\n")[0]]
        first = next((l for l in quoted if _bare(l) not in said), quoted[0])
        if _bare(first) in led:
            continue        # the part's only sentence is the one the yes/no part led with (「どんな試験？タブレットでも受けられる？」)
        if first is not quoted[0] and answered_by(a.question, quoted[0], first_q) and not answered_by(a.question, first, first_q):
            # its best sentence, quoted already, answers it; its next one does not (「根拠の法律は何で、何年にスタートしたの？」:
            # 「…法に基づき、平成30年（2018年）…施行」 answers both parts)
            explain.append(f"part: {a.question} → answered by a line quoted for another part")
            continue
        take = [first]
        nxt = next((l for l in quoted if l is not first and _bare(l) not in said and _bare(l) != _bare(first)), None)
        if nxt is not None and _gives_more(a, [first] + lines, nxt):
            take.append(nxt)
        lines.extend(quote(take, draft, hits))
        explain.append(f"part: {a.question} → {a.intent}")
    for at, i, a in gaps:
        if any(line and answered_by(a.question, line, first_q) for line in lines):
            lines[at] = None        # a line already quoted answers the part too
            explain.append(f"part: {a.question} → answered by a line quoted for another part")
            continue
        # a sentence another part's draft holds but did not quote (「審査って何日？補正の待ち時間も数える？」: the first
        # part's second sentence 「…補正…期間は含まれません」)
        spare = next(((l, d, h) for _, d, h in parts if d is not None and d.text
                      for l in d.text.split("\n") if re.search(r"\[\d+\]", l) and _bare(l) not in said
                      and answered_by(a.question, l, first_q)), None)
        if spare is not None:
            lines[at] = quote([spare[0]], spare[1], spare[2])[0]
            explain.append(f"part: {a.question} → a sentence another part's passages hold")
            continue
        # the part is named by its number, not quoted: a quoted assertion would read as the answer's
        lines[at] = f"（{i}点目のご質問）この点は、ナレッジベースの資料では確認できませんでした。"
    lines = [l for l in lines if l is not None]
    # (anpo.multipart.verdict_first: a later yes/no part's verdict, stated by its cited line, leads the answer)
    lines, why = verdict_first(parts, lines)
    explain += [f"parts: {why}"] if why else []
    return Draft("\n".join(lines), {k: tuple(v) for k, v in highlights.items()}, (), tuple(explain)), all_hits

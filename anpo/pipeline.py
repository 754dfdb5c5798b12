"""The answer pipeline: normalise → analyse → retrieve → scope gate → grounding gate →
compose → cite/validate.  One pipeline serves one index generation; it reads the index
and never writes it.  `Assistant.ask` (anpo.service) delegates here.

Analysis (anpo.analysis) decides what is asked; the topic (incidental details removed,
nicknames mapped to the tables' names) is what retrieval and grounding see.  The intent
shapes the answer: a deal becomes the screening checklist, "is my X controlled?" is never
refused, a multi-part question gets one cited line per part; the rest go to the backend.
`trace()` returns the answer with the rules and scores behind it (`anpo ask --explain`).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace
from datetime import date
from typing import Callable

from anpo.analysis import Analysis, analyse, asked_sentence
from anpo.citations import check_citations, finalize, refusal
from anpo.compose import Draft, ExtractiveBackend, ban_answer, deal_answer, join_parts, product_answer
from anpo.multipart import answer_part
from anpo.errors import BadInputError
from anpo.grounding import Support, assess
from anpo.models import Answer
from anpo.scope import asks_beside, in_scope_rest, other_field, other_part_asked, other_part_line, unknown_head
from anpo.tables import ban_goods
from anpo.screening import asks_about_change, asks_what_the_act_is, refuted_claim, ban_scope_sentences, claim_settled, foreign_rules_asked, ful_banned_asked, asks_if_named, asks_of_control, open_destination_sentences, asks_beside_the_deal, asks_more_than_the_row, dismissed_flag, goods_route, led_by_a_row, ordered_thing, other_regime, \
    technology_asked, told_deal, told_ful_listed, withheld, resident_technology, open_name_settled, exception_denied, \
    classification_delegated, as_is_withheld
from anpo.settings import Settings
from retrieval.textnorm import looks_like_instruction, normalize, strip_instructions

MAX_QUESTION_CHARS = 2000
MAX_K = 50


def validate_question(question: str) -> str:
    """The question stripped; BadInputError (one sentence) when it cannot be asked."""
    q = (question or "").strip()
    if not q:
        raise BadInputError("the question is empty; type a question about export control")
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in q):
        raise BadInputError("the question contains control characters (such as NUL); type it again as plain text")
    if len(q) > MAX_QUESTION_CHARS:
        raise BadInputError(f"the question is {len(q)} characters long; keep it under {MAX_QUESTION_CHARS}")
    return q


def validate_options(k: int | None, backend: str | None = None) -> None:
    """Checks --k and --backend before anything is answered (a batch must not answer every
    line with a refusal because of one bad option)."""
    if k is not None and not 1 <= k <= MAX_K:
        raise BadInputError(f"--k must be between 1 and {MAX_K}, not {k}")
    if backend is not None:
        from anpo.backends import REGISTRY
        from anpo.errors import UnknownBackendError
        if backend not in REGISTRY:
            raise UnknownBackendError(backend, REGISTRY)


@dataclass(frozen=True)
class Trace:
    """An answer and why: the analysis, the grounding score, the composer's choices."""
    answer: Answer
    analysis: Analysis
    best: float
    threshold: float
    route: str
    lines: tuple[str, ...] = ()
    weights: tuple[tuple[str, float], ...] = ()     # each topic word's grounding weight

    def explain(self) -> list[str]:
        out = self.analysis.explain()
        out.append(f"route: {self.route}  grounding: best={self.best:.2f} threshold={self.threshold:.2f}")
        if self.weights:
            out.append("topic words (weight): " + " / ".join(f"{t}={w:.2f}" for t, w in self.weights))
        return out + list(self.lines)


class PackFirst:
    """The pipeline's one way to retrieve: every retrieval made for one question (answer,
    deal checklist, product check, ban, each part) goes through `anpo.provenance.prefer_pack`,
    so an uploaded passage that contradicts the pack or carries instructions is never used;
    the notes saying so are collected for the answer."""

    def __init__(self, retrieve: Callable, question: str):
        self._retrieve = retrieve
        self.question = question
        self.notes: list[str] = []

    def __call__(self, query: str, k: int) -> list:
        hits = self._retrieve(query, k)
        try:
            from anpo.provenance import prefer_pack
        except ImportError:
            return list(hits)
        kept, notes = prefer_pack(hits, self.question)
        self.notes.extend(n for n in notes if n not in self.notes)
        return kept


def _interleave(first, second) -> list:
    out, seen = [], set()
    for pair in zip(first, second):
        for h in pair:
            if h.chunk.chunk_id not in seen:
                seen.add(h.chunk.chunk_id)
                out.append(h)
    for h in list(first) + list(second):
        if h.chunk.chunk_id not in seen:
            seen.add(h.chunk.chunk_id)
            out.append(h)
    return out


def _asks_which_item(a: Analysis) -> bool:
    """The asking sentence is a product question (「リストに載ってる？」「何項？」「規制品？」) after a told
    situation, not a deal question (「受けていい？」): the product answer is what is asked."""
    from anpo.analysis import asked_sentence, load_rules
    from retrieval.textnorm import normalize
    rules = load_rules()
    q = normalize(a.question)
    asked = asked_sentence(q)
    deal, product = rules.intent("deal"), rules.intent("product_check")
    return bool(asked != q and product.match(asked) and not deal.match(asked)
                and not rules.premise["permission"].search(asked))


def _unknown(support: Support, english: bool = False) -> list[str]:
    """The asked topic's words the pack does not know (weighed as unknown by the grounding; `english`:
    also the English words with no Japanese equivalent, weighed lower)."""
    from anpo.analysis import load_rules
    g = load_rules().grounding
    limit = min(g["unknown"], g.get("english_unknown", g["unknown"])) if english else g["unknown"]
    return [t[0] for t, w in zip(support.terms, support.weights) if w >= limit]


def _case(q: str, chunks) -> tuple[list, tuple[str, ...]] | None:
    """(the case's chunks, the sections asked) for a case-study question (anpo.cases), else None."""
    from anpo.cases import asked_case, cases_in
    cases = cases_in(chunks)
    got = asked_case(q, cases)
    return (cases[got[0]], got[1]) if got else None


def _asks_added(a: Analysis, search) -> bool:
    """A question about a change to the list (screening.asks_about_change) naming goods the amendment added."""
    from anpo.compose import _added_lines, Cites
    from anpo.screening import asks_about_change
    return asks_about_change(a.question) and bool(_added_lines(a, [p for p in a.products if p.candidates], search, Cites(), set()))


def _hosting(a: Analysis) -> bool:
    from anpo.screening import told_hosting
    return told_hosting(a)


def _named_by_the_pack(a: Analysis, hits) -> str:
    """"named by the pack" when no table row names the goods but a passage the question retrieved does (「STCって受けない
    と輸出できないの？」: STC is the pack's exam, not goods; "not found in the list" would be no answer), else ""."""
    from anpo.tables import named_thing
    if any(p.candidates for p in a.products):
        return ""
    things = {normalize(t) for t in [p.text for p in a.products] + [named_thing(a.question or "")] if t and len(t) >= 2}
    texts = [normalize(h.chunk.text) for h in list(hits)[:3] if not dict(h.chunk.fields).get("kouban")]
    return "named by the pack" if any(_whole_word(t, x) for t in things for x in texts) else ""


def _script(ch: str) -> str:
    return "k" if "\u30a0" <= ch <= "\u30ff" else "l" if ch.isascii() and ch.isalnum() else "x"


def _whole_word(word: str, text: str) -> bool:
    """`word` in `text` as a word of its own: not inside a longer katakana or Latin word (ネジ is not in マネジメント)."""
    for m in re.finditer(re.escape(word), text):
        before = text[m.start() - 1] if m.start() else " "
        after = text[m.end()] if m.end() < len(text) else " "
        if _script(before) != _script(word[0]) or _script(word[0]) == "x":
            if _script(after) != _script(word[-1]) or _script(word[-1]) == "x":
                return True
    return False


def _destination_row(hit) -> bool:
    f = dict(hit.chunk.fields)
    return bool(f.get("country") and f.get("group"))


class AnswerPipeline:
    """Answers questions from one retriever (one index generation)."""

    def __init__(self, settings: Settings, retriever, backend_for: Callable[[str | None], object],
                 today: date | None = None, tables=None):
        self.settings = settings
        self.retriever = retriever
        self.index = retriever.index
        self.backend_for = backend_for
        self.today = today
        self._tables = tables

    def _pack_names(self, word: str) -> bool:
        """Whether the pack's text names `word` (normalised) anywhere."""
        if getattr(self, "_pack_text", None) is None:
            self._pack_text = normalize("\n".join(c.text for c in self.index.chunks))
        return word in self._pack_text

    @property
    def tables(self):
        if self._tables is None:
            from anpo.slot_tables import tables_for
            self._tables = tables_for(self.index)
        return self._tables

    def ask(self, question: str, k: int | None = None, backend: str | None = None) -> Answer:
        return self.trace(question, k, backend).answer

    def trace(self, question: str, k: int | None = None, backend: str | None = None) -> Trace:
        t0 = time.perf_counter()
        q = validate_question(question)
        validate_options(k, backend)
        k = self.settings.top_k if k is None else k
        be = self.backend_for(backend)
        notes: tuple[str, ...] = ()
        text = q
        if looks_like_instruction(q):
            # instructions inside a question are data, not orders: answer only the rest
            notes = ("質問に含まれる指示には従わず、資料に基づいて回答しています。",)
            text = strip_instructions(q)
        a = analyse(text, self.tables) if text else analyse(q)
        tr = self._answer(q, a, k, be) if text else Trace(refusal(q, be.name), a, 0.0, 0.0, "empty")
        ans = tr.answer
        if ans.grounded and check_citations(ans, self.index.chunk):
            ans = refusal(q, be.name, english=a.language == "en")   # cited or silent
        ans = replace(ans, elapsed_ms=round((time.perf_counter() - t0) * 1000, 1), notes=ans.notes or notes)
        if a.language == "en":      # English questions get English answers (anpo.english)
            from anpo.english import pack_for, to_english
            ans = to_english(ans, pack_for(self.index, self.settings.knowledge_dir))
        return replace(tr, answer=ans)

    # -- stages -----------------------------------------------------------------
    def _ground(self, a: Analysis, k: int, search: PackFirst) -> tuple[list, Support]:
        if a.premise:
            k = min(MAX_K, 2 * k)      # the sentence that contradicts a premise is often not in the top k
        query = a.query or a.topic
        hits = search(query, k) if query else []
        if not a.countries and any(_destination_row(h) for h in hits):
            # destination rows answer "which group is X?"; with no country named they only crowd
            # out the sentence that answers (「ホワイト国向けでも許可いる？」): look further down
            hits = [h for h in search(query, MAX_K) if not _destination_row(h)][:k]
        if a.premise and a.focus_query:
            # the sentence that contradicts a premise speaks of the asked clause, not of the
            # situation told before it: a second retrieval on the asked words, interleaved
            hits = _interleave(hits, search(a.focus_query, k))[:k]
        idx = self.index
        # the grounding is measured on the Japanese reading's hits only: the passages the English reading
        # adds below were chosen for sharing the question's words, so they would cover them by construction
        # (out-of-scope "How much should we pay an intern per hour?" or "opening an office: tax rules?"
        # found covered by a passage that merely says intern / office)
        support = assess(a.topic, hits, idx.bm25.token_idf, idx.bm25.vocab.__contains__, analysis=a)
        gate_hits = list(hits)
        if a.language == "en":
            # an English question is also read against the pack's English restatements (anpo.english):
            # the added passages get their coverage for the composer, the gate keeps the Japanese reading's
            from anpo.english import fuse_english
            fused = fuse_english(a.question, hits, idx, self.settings.knowledge_dir, k)
            if len(fused) > len(hits):
                full = assess(a.topic, fused, idx.bm25.token_idf, idx.bm25.vocab.__contains__, analysis=a)
                support, hits = replace(full, best=support.best), fused
            # the gate's own hits are also read in English: an English word the term map lacks is covered by a
            # passage whose English restatement says it ("eased", "trading") (anpo.english.said_in_english)
            from anpo.english import said_in_english
            # only a question the gate alone would answer or refuse: a ban asked of or goods named route by a low score
            # (the ban sentence, the deal checklist), which a word said in English must not take away
            said = said_in_english(a.question, a.topic, gate_hits, idx, self.settings.knowledge_dir) \
                if "ban" not in a.intents and a.intent not in ("deal", "product_check") and not a.products else None
            if said is not None:
                en = assess(a.topic, said, idx.bm25.token_idf, idx.bm25.vocab.__contains__, analysis=a)
                support = replace(support, best=max(support.best, en.best))
        return hits, support

    def _answer(self, q: str, a: Analysis, k: int, be) -> Trace:
        search = PackFirst(self.retriever.retrieve, q)
        hits, support = self._ground(a, k, search)
        return replace(self._route(q, a, k, be, hits, support, search),
                       weights=tuple((g[0], w) for g, w in zip(support.terms, support.weights)))

    def _route(self, q: str, a: Analysis, k: int, be, hits, support: Support, search: PackFirst,
               settled: bool = False) -> Trace:
        english = a.language == "en"
        th = self.settings.ground_threshold
        # the whole question, not the topic: 「中国の輸出管理法」 must not lose its country name
        elsewhere = other_field(q, "\n".join(h.chunk.text for h in hits[:3]))
        beside = other_part_asked(q, "\n".join(h.chunk.text for h in hits[:3])) if elsewhere is None else None
        if beside is not None:
            # "What's the import duty in Mexico? And do we need a licence?": the licence part answered,
            # the duty part named as not covered
            mixed = self._other_part(q, k, be, beside, hits)
            if mixed is not None:
                return mixed
        if elsewhere is not None:
            mixed = self._other_part(q, k, be, elsewhere, hits)
            if mixed is not None:
                return mixed
            return Trace(refusal(q, be.name, english=english, field=elsewhere.field, desk=elsewhere.desk),
                         a, support.best, th, f"out_of_scope ({elsewhere.term})")
        regime = other_regime(a, self._pack_names, authority=False)
        if regime is not None:
            # 「EU向けの塗料にREACHの高懸念物質が…。欧州の客への届出って何をすれば？」: the asked 届出 is the pack's word, the
            # regime told before it is not (screening.other_regime: a regime row's own words, any route)
            return Trace(refusal(q, be.name, english=english, field=regime.field, desk=regime.desk),
                         a, support.best, th, f"refused (other regime: {regime.mark})")
        head = unknown_head(a, self._pack_names) if not a.parts and "ban" not in a.intents else ""
        if head:
            # (helper scope, round 14) 「…米を輸出する計画…。食糧法で必要な届出や登録は？」「…家財一式を船で送る。別送品として税関に
            # 申告するには？」: the asked duty is of a word the pack never uses (anpo.scope.unknown_head), whatever the route
            return Trace(refusal(q, be.name, english=english), a, support.best, th, f"refused (unknown head: {head})")
        if a.intent in ("deal", "product_check") and not a.products:
            # 「ワシントン条約に引っかかる象牙を送れる？」 asks about another rulebook: not a deal or product check
            from anpo.analysis import load_rules
            from anpo.tables import other_rulebook
            unknown = load_rules().grounding["unknown"]
            other = other_rulebook([g[0] for g, w in zip(support.terms, support.weights) if w >= unknown])
            if other:
                return Trace(refusal(q, be.name, english=english), a, support.best, th, f"refused (other rulebook: {other})")
        if a.intent in ("deal", "product_check") and not withheld(a.question) and not asks_of_control(a) \
                and asks_beside(a, lambda p: self._ground(p, k, search)[1], self.tables, th):
            # 「…送るんですが、送り状の宛名の書き方は？」: the told deal is the setting; what is asked is not covered
            return Trace(refusal(q, be.name, english=english), a, support.best, th, "refused (asked piece not covered)")
        if a.intent == "deal" and any(p.candidates for p in a.products) and asks_about_change(asked_sentence(normalize(q))):
            # "We plan to send FPGA boards to Munich. Did the list rules for this kind of module change recently?": told
            # as a deal, asked about the list's amendment: the product check quotes the amendment and its date
            a = replace(a, intent="product_check")
        if a.intent == "deal" and any(p.candidates for p in a.products) and asks_if_named(q):
            # 「…中国のメーカーに売りたいんです。炭素繊維ってリスト規制の一覧に名前出てきましたっけ？」: told as a deal,
            # asked whether the name is on the list: the product answer (はい with the row that writes it)
            a = replace(a, intent="product_check")
        if a.intent == "deal" and a.products and "product_check" in a.intents and _asks_which_item(a):
            # 「…を出したい。リストに載ってる？」: told as a deal, asked as a product question
            a = replace(a, intent="product_check")
        if a.intent in ("other", "yesno", "product_check") and not a.parts and "ban" not in a.intents \
                and as_is_withheld(a.question, a.permission):
            # (helper route, round 13) "…refuses to name the end user. Since nothing's on the list, we're fine to ship,
            # right?": going on as things are with the end user or use withheld is the deal's question (deal_withheld)
            a = replace(a, intent="deal")
        if a.intent == "other" and not a.intents and not q.rstrip().endswith(("?", "？")) \
                and goods_route(a, _unknown(support)) == "deal":
            # a deal told without a question or a cue (「ブラジルの代理店にステッピングモーターを売る」
            # 「UAEの商社経由でCFRPの板を出す。最終ユーザーは不明。」): the checklist, not a stray sentence
            a = replace(a, intent="deal")
        elif a.intent in ("other", "yesno", "product_check") and not ((a.premise and not dismissed_flag(a)) or a.parts
                                                                       or "ban" in a.intents) \
                and (told_deal(a) or told_ful_listed(a.question) and (a.products or ordered_thing(q))):
            # a deal told as a story with a red flag or asking what to check ("Our distributor in Thailand wants to
            # resell our servo motors …", "We are exporting sensors to Germany. Do we still need to check anything?");
            # a premise too when it waves the told red flag away (「…注文が急に倍増。普通の商売だし気にしなくて大丈夫ですよね？」)
            a = replace(a, intent="deal")
        if a.intent == "deal" and not a.parts and "ban" not in a.intents and "yesno" in a.intents and hits \
                and support.best >= th and asks_what_the_act_is(a) and not refuted_claim(a):
            # (helper route, round 14) 「展示会に出すけど持って帰るから、これは輸出に当たらないってことでOK？」: asked whether the
            # act is an export at all — the pack's sentences on what counts answer it (screening.asks_what_the_act_is); a
            # claim the deal route already refutes (「タダなら輸出にならないよね？」, screening.refuted_claim) stays there, and so does
            # a question too little covered to be answered otherwise (goods_route sends it back here)
            a = replace(a, intent="yesno")
        if a.intent == "deal" and technology_asked(a):
            # 「…リスト規制に該当する技術の設計図を子会社にメールで送りたい。子会社宛てでも許可は必要ですか」: technology
            # handed over, asked yes/no: the pack's sentences on providing technology answer, not the goods checklist
            a = replace(a, intent="yesno" if "yesno" in a.intents else "other")
        if a.intent == "deal" and asks_beside_the_deal(a, _unknown(support, english)):
            # 「工作機械を送るとき梱包はどうすれば？」 asks about packing, not the deal's export control:
            # grounded (and refused when not covered) like any other question; an English asked word the
            # pack does not know ("Which tax rate applies …?") weighs too little to refuse by coverage
            if english:
                return Trace(refusal(q, be.name, english=english), a, support.best, th, "refused (asked beside the deal)")
            a = replace(a, intent="other")
        case = _case(q, self.index.chunks)
        if case is not None:
            # 「A社って支援前は何に困ってたの？」「担当が辞めた会社の事例ある？」: the case's sections for the asked part
            from anpo.compose import case_answer
            from anpo.cases import asks_if_exists
            draft, cited = case_answer(*case, exists=asks_if_exists(q))
            if draft.text:
                return self._done(q, a, be, draft, cited, support.best, "case", search=search)
        resident = resident_technology(a, self.index.chunks) if not a.parts and "ban" not in a.intents else None
        if resident:
            # (helper deal, round 12) 「3か月前に入社したインド出身の社員に設計データを見せたい。まだ来日半年たってないから非居住者
            # 扱い？」 "Once he's a resident employee of ours, is it OK to give him our controlled design data?": when a foreign
            # national is a resident, and the 特定類型 that still make it みなし輸出 (screening.resident_technology)
            from anpo.compose import Cites, _clean
            cites = Cites()
            lines = [f"{resident[0] if n == 0 else ''}{_clean(c.text[s:e])} [{cites.add(c, (s, e))}]"
                     for n, (c, s, e) in enumerate(resident[1])]
            draft = cites.draft(lines, ["resident technology: 居住者 and 特定類型"])
            return self._done(q, a, be, draft, cites.hits, support.best, "resident_technology", search=search)
        if a.intent != "deal" and not (a.premise or a.parts) and _hosting(a):
            # 「中国の取引先の技術者を受け入れて機械の操作を教える。届け出いる？」: technology handed over in Japan
            from anpo.compose import hosting_answer
            draft, cited = hosting_answer(a, search)
            if draft.text:
                return self._done(q, a, be, draft, cited, support.best, "hosting", search=search)
        if a.intent not in ("deal", "product_check") and not a.parts and "ban" not in a.intents and ful_banned_asked(q):
            # 「…外国ユーザーリストに名前が載ってるっぽい。これってもう取引しちゃダメってことなんですか」: the list is no ban
            # (compose.ful_not_banned_answer; the deal route says the same before its checklist)
            from anpo.compose import ful_not_banned_answer
            draft, cited = ful_not_banned_answer(a, search)
            if draft.text:
                return self._done(q, a, be, draft, cited, support.best, "ful_not_banned", search=search)
        opened = open_destination_sentences(a, self.index.chunks) if "ban" not in a.intents else []
        if opened:
            # 「コンゴって国連の武器禁輸国に入ってたんでしたっけ？」: a name that names no one country, asked yes/no of it —
            # it holds for one of the two, not the other: 一概には言えません with the cited sentence telling them apart
            # and the one saying the official name must be confirmed (screening.open_destination_sentences)
            from anpo.compose import Cites, _clean
            cites = Cites()
            lines = [f"{_clean(c.text[s:e])} [{cites.add(c, (s, e))}]" for c, s, e in opened]
            word = "一概には言えません。"
            draft = cites.draft([word + lines[0]] + lines[1:], ["open destination: " + ", ".join(c.text for c in a.countries)])
            return self._done(q, a, be, draft, cites.hits, support.best, "open_destination", search=search)
        claim = claim_settled(a, self.index.chunks) \
            if a.intent not in ("deal", "product_check") and "ban" not in a.intents else None
        if claim is None and a.intent == "product_check" and "ban" not in a.intents and not a.parts:
            # (helper deal, round 12) goods told with a name of two countries (「『コンゴ』の水道局からポンプの引き合い…これって扱い
            # 変わります？」): what is asked is the name's, not the goods' (screening.open_name_settled)
            claim = open_name_settled(a, self.index.chunks)
        if claim:
            # (helper deal) 「確か韓国ってグループA外だったよね？」: a destination's group claimed, or the treatment said to be the
            # same for a name of two countries (「コンゴ共和国でも民主共和国でも変わらないよね？」): はい/いいえ from the pack's
            # sentences on it (screening.claim_settled; the deal answer does the same before its checklist)
            from anpo.compose import Cites, _clean
            cites = Cites()
            lines = [f"{claim[0] if n == 0 else ''}{_clean(c.text[s:e])} [{cites.add(c, (s, e))}]"
                     for n, (c, s, e) in enumerate(claim[1])]
            draft = cites.draft(lines, ["settled claim: " + ", ".join(c.text for c in a.countries)])
            return self._done(q, a, be, draft, cites.hits, support.best, "settled_claim", search=search)
        if classification_delegated(a.question) and a.intent not in ("deal", "product_check") and not a.parts \
                and "ban" not in a.intents and not _wh_asked(a.question):
            # (helper route, round 13) 「役所に資料送っておけば決めてもらえる？」 "…send the spec sheets to METI so they classify
            # them for us?" (screening.classification_delegated): no, the exporter classifies — the cited duty, then how
            from anpo.compose import Cites, _cite_recipe
            cites, used = Cites(), set()
            how = _cite_recipe(cites, "product_check_needed", search, "", used)
            if how:
                lines = [f"いいえ。{how}", _cite_recipe(cites, "product_how_to_check", search, "", used)]
                draft = cites.draft([x for x in lines if x], ["classification delegated: the exporter classifies (cited)"])
                return self._done(q, a, be, draft, cites.hits, support.best, "classification_delegated", search=search)
        if a.intent in ("deal", "product_check"):
            # the deal checklist and the product check never refuse, but a question naming goods may ask about another
            # regime (「古い掛け軸を海外のオークションに…文化庁の許可がいるって聞いたけど」, 「REACHのSVHCが…届出は？」):
            # refused with that regime's desk (screening.other_regime, data/other_regimes.tsv)
            regime = other_regime(a, self._pack_names)
            if regime is not None:
                return Trace(refusal(q, be.name, english=english, field=regime.field or None, desk=regime.desk or None),
                             a, support.best, th, f"refused (other regime: {regime.mark})")
            if foreign_rules_asked(a):
                # (helper deal) 「化粧品を中国に輸出したい…使っちゃダメな成分とか、向こうでの登録とか何が必要？」: the destination
                # country's own rules (registration, ingredients, import procedure) are another regime, not a deal check
                return Trace(refusal(q, be.name, english=english, field="輸出先の国の規制（現地での登録・成分・輸入手続き）",
                                     desk="輸出先国の所管当局、またはJETRO（日本貿易振興機構）"),
                             a, support.best, th, "refused (the destination's own rules)")
        if a.intent == "deal" and not settled and _empty_deal(a):
            # (helper route, round 13) a "deal" told with no goods, no destination and nothing withheld ("A customer asked
            # for a non-applicability certificate (非該当証明書). Is there a legally prescribed form for it…?"): a document
            # asked for is no thing shipped; the question's normal answer, when the pack covers it
            b = analyse(a.question, self.tables, skip=("deal",))
            bhits, _ = self._ground(b, k, search)
            bsupport = assess(b.topic, bhits, self.index.bm25.token_idf, self.index.bm25.vocab.__contains__, analysis=b)
            if bhits and bsupport.terms and bsupport.best >= th and b.intent != "deal":
                tr = self._route(q, b, k, be, bhits, bsupport, search, settled=True)
                if tr.answer.grounded:
                    return replace(tr, route=f"{tr.route} (empty deal yields)")
        if a.intent == "deal":
            draft, cited = deal_answer(a, search, self.index.chunks, self.index.chunk)
            return self._done(q, a, be, draft, cited, support.best, "deal", desk=True, search=search)
        if a.intent == "product_check" and not settled:
            yielded = self._yield_to_the_asked(q, a, k, be, search, hits)
            if yielded is not None:
                return yielded
        if a.intent == "product_check":
            draft, cited = product_answer(a, search, self.index.chunk, self.index.chunks)
            return self._done(q, a, be, draft, cited, support.best, "product_check", search=search)
        if a.parts:
            return self._parts(q, a, k, be, support.best, search)
        if "ban" in a.intents and (not hits or support.best < th or a.intent == "ban" and not (a.premise or a.asserting)
                                     and (any(p.candidates for p in a.products) or ban_goods(a.question)
                                          or len({c.name for c in a.countries}) > 1 or exception_denied(a.question))):
            # a banned destination is stated as a ban, cited, even when the rest is not covered, and
            # before a table row of the goods (「中古のサーバーをロシアに売れますか？」) or a sentence on goods the ban measures
            # name (data/ban_goods.tsv: 「ロシアの取引先がブルドーザを欲しいそうです。輸出できる？」) or sent through
            # another country (「ロシアに交換部品を香港経由で送れば問題ない？」)
            draft, cited = ban_answer(a, search, ban_scope_sentences(a, self.index.chunks))
            if draft.text:
                return self._done(q, a, be, draft, cited, support.best, "ban", search=search)
        if (not hits or not support.terms or support.best < th) and a.intent not in ("deal", "product_check"):
            goods = goods_route(a, _unknown(support))     # goods the asker names are checked, never refused
            if goods:
                return self._route(q, replace(a, intent=goods), k, be, hits, support, search, settled)
        if not hits or not support.terms or support.best < th:
            return Trace(refusal(q, be.name, english=english), a, support.best, th, "refused (not covered)")
        draft = be.answer(q, hits, support, analysis=a) if getattr(be, "accepts_analysis", False) \
            else be.answer(q, hits, support)
        if any(p.candidates for p in a.products) and led_by_a_row(draft.text, hits) and not asks_more_than_the_row(q) \
                and asks_beside_the_deal(a, _unknown(support, english)):
            # "What insurance do we need for shipping machine tools to Thailand?": the goods are the setting of a
            # question the pack does not cover (a goods row is no answer to it)
            return Trace(refusal(q, be.name, english=english), a, support.best, th, "refused (asked beside the goods)")
        if any(p.candidates for p in a.products) and _asks_added(a, search):
            # 「FPGAの評価ボード、規制が変わったって聞いたけど本当？」 about goods the amendment added: the product
            # check quotes the amendment and its date before the rows
            return self._route(q, replace(a, intent="product_check"), k, be, hits, support, search, True)
        if any(p.candidates for p in a.products) and led_by_a_row(draft.text, hits) and not asks_more_than_the_row(q):
            # 「カーボンシートって輸出規制ありましたっけ」 answered by a 項番 row first: the product check says
            # the same rows and how to check them (該非判定, catch-all)
            return self._route(q, replace(a, intent="product_check"), k, be, hits, support, search, True)
        return self._done(q, a, be, draft, hits, support.best, f"answer ({be.name})", search=search)

    def _yield_to_the_asked(self, q: str, a: Analysis, k: int, be, search: PackFirst, hits=()) -> Trace | None:
        """The normal answer of a question that names goods but asks something else (screening.asked_beyond_the_goods:
        「FPGAの判定書、去年のをそのまま使い回していい？」 asks about re-using a 判定書; "…take our design files home on
        my laptop, no licence needed, right?" about technology): the question analysed again without the product
        check, answered when the pack covers it; None (the product check answers) when it does not."""
        from anpo.grounding import _is_known
        from anpo.screening import asked_beyond_the_goods
        from retrieval.textnorm import tokens
        vocab = self.index.bm25.vocab.__contains__
        why = asked_beyond_the_goods(a, lambda w: _is_known((frozenset(tokens(w)),), vocab)) or _named_by_the_pack(a, hits)
        if not why:
            return None
        b = analyse(a.question, self.tables, skip=("product_check",))
        # the goods are the setting: their table rows are the product check's, not this answer's
        items = [p.item for p in b.products if p.item]
        b = replace(b, query=" ".join(w for w in b.query.split() if w not in items))
        hits, _ = self._ground(b, k, search)
        hits = [h for h in hits if not dict(h.chunk.fields).get("kouban")]
        idx = self.index
        support = assess(b.topic, hits, idx.bm25.token_idf, idx.bm25.vocab.__contains__, analysis=b)
        if not b.parts and (not hits or not support.terms or support.best < self.settings.ground_threshold):
            return None
        tr = self._route(q, b, k, be, hits, support, search, settled=True)
        if not tr.answer.grounded:
            return None
        return replace(tr, route=f"{tr.route} (product check yields: {why})")

    def _other_part(self, q: str, k: int, be, elsewhere, hits) -> Trace | None:
        """A mixed question (「…許可はいりますか？あと関税はいくら？」): its covered part answered, with a line
        saying the other part is out of scope and where to ask; None when no part is covered."""
        rest = in_scope_rest(q, elsewhere.term)
        if not rest or other_field(rest, "\n".join(h.chunk.text for h in hits[:3])) is not None:
            return None
        tr = self._answer(rest, analyse(rest, self.tables), k, be)
        if not tr.answer.grounded:
            return None
        english = analyse(q).language == "en"
        text = tr.answer.answer.rstrip() + "\n" + other_part_line(elsewhere, english=english)
        return replace(tr, answer=replace(tr.answer, question=q, answer=text),
                       route=f"{tr.route} + out_of_scope part ({elsewhere.term})")

    def _parts(self, q: str, a: Analysis, k: int, be, best: float, search: PackFirst) -> Trace:
        th = self.settings.ground_threshold
        one = ExtractiveBackend(max_sentences=2)       # the second: when an earlier part quoted the first
        done = []
        for p in a.parts:
            if p.intent == "product_check":
                # 「ゴム手袋って規制対象？あと、該非判定書は誰が作るの？」: the goods part gets the product check's line
                draft, cited = product_answer(p, search, self.index.chunk, self.index.chunks)
                if draft.text:
                    done.append((p, draft, cited))
                    continue
            # (anpo.multipart: a part asking an answer type its own words do not find is asked of the first part's subject)
            done.append(answer_part(p, a.parts[0], lambda x: self._ground(x, k, search), one.answer, th))
        if not any(d is not None and d.text for _, d, _ in done):
            return Trace(refusal(q, be.name, english=a.language == "en"), a, best, th, "refused (no part covered)")
        draft, hits = join_parts(done)
        return self._done(q, a, be, draft, hits, best, "multi_part", search=search)

    def _done(self, q, a: Analysis, be, draft: Draft, hits, best: float, route: str, desk: bool = False,
              search: PackFirst | None = None) -> Trace:
        if search is not None and search.notes:
            draft = replace(draft, notes=tuple(getattr(draft, "notes", ())) + tuple(search.notes))
        ans = finalize(q, be.name, draft, hits, today=self.today, time_sensitive=a.time_sensitive, desk=desk)
        return Trace(ans, a, best, self.settings.ground_threshold, route, tuple(getattr(draft, "explain", ())))


def _wh_asked(question: str) -> bool:
    """The asked sentence asks a question word (intents.yaml premise wh)."""
    from anpo.analysis import load_rules
    return bool(load_rules().premise["wh"].search(asked_sentence(normalize(question or ""))))


def _empty_deal(a: Analysis) -> bool:
    """(round 13, helper route) A question read as a deal that tells no goods, no destination (nor 「海外」), no party
    beyond a customer and nothing withheld: no deal to check (screening.refused_party_deal keeps those with a refusal)."""
    from anpo.screening import refused_party_deal
    from anpo.tables import told_abroad
    if a.products or a.countries or a.parts or told_abroad(normalize(a.question or "")):
        return False
    return not refused_party_deal(a) and not withheld(a.question)

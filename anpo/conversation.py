"""Conversations in the core: follow-up questions answered in the context of the turns before
them, and the follow-up suggestions drawn from the cited documents.

`Conversation(assistant).ask(question)` reads each turn against what the conversation has
said so far (`interpret`): a follow-up (「じゃあ中国なら？」「それって許可いる？」「北朝鮮向けでも使える？」,
"What about China?") inherits the earlier turns' subject, product, destination, party and
action and is answered as the standalone question it stands for; the answer opens with that
reading (「（少額特例・北朝鮮向けとして回答）」, "(Answered as: …)") and carries the rewritten
question in `Answer.interpreted_as`, while `question` stays the user's words.  A follow-up
whose word points at nothing said (「彼のケースは？」 with no person named, 「あれ」) is answered
by saying so, not by a guess.  A turn with its own subject starts a new topic.

The cues are data: `data/followups.yaml` (each row's examples run as tests).  The CLI's
`anpo chat` and the app hold one `Conversation` per session.  (The chat screen's display
helpers live in `app_ui.render`.)"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import yaml

from anpo.models import Answer
from retrieval.textnorm import key_terms, normalize
from retrieval.types import Chunk

FOLLOWUPS_PATH = Path(__file__).parent / "data" / "followups.yaml"

# "スライド3 ", "p.4 ", "ページ2 ", "第3章 " … : where a section is, not what it is about
_PLACE_PREFIX = re.compile(r"^\s*(?:スライド|slide|ページ|page|p\.?|頁)\s*\d+[\s:：.-]*", re.IGNORECASE)


def section_topic(locator: str) -> str:
    """What a section is about: its locator without the slide/page number."""
    return _PLACE_PREFIX.sub("", locator).strip()


def follow_ups(answer: Answer, chunks: Sequence[Chunk], limit: int = 3) -> list[str]:
    """Questions about the other sections of the cited documents (prose sections only;
    table rows are reached through the list-control explorer), one document at a time in
    turn so that each cited document gets a suggestion."""
    if not answer.grounded or not answer.citations:
        return []
    cited_docs = list(dict.fromkeys(c.doc_id for c in answer.citations))
    seen = {section_topic(c.locator) for c in answer.citations}
    per_doc: dict[str, list[str]] = {d: [] for d in cited_docs}
    for ch in chunks:
        if ch.doc_id not in per_doc or ch.fields or ch.suspicious:
            continue
        topic = section_topic(ch.locator)
        if len(topic) < 2 or topic in seen or topic.startswith("行"):
            continue
        seen.add(topic)
        per_doc[ch.doc_id].append(topic)
    out: list[str] = []
    while len(out) < limit and any(per_doc.values()):
        for d in cited_docs:
            if per_doc[d] and len(out) < limit:
                topic = per_doc[d].pop(0).removesuffix("について")   # 「資料について」 is not asked twice
                out.append(f"{topic}について教えてください。")
    return out


# ----------------------------------------------------------------- the cues (data)

@dataclass(frozen=True)
class Cue:
    name: str
    pattern: re.Pattern
    needs: str = "any"
    examples: tuple[str, ...] = ()
    not_examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class FollowupRules:
    deictics: tuple[Cue, ...]
    elliptical: tuple[Cue, ...]
    subjects: tuple[Cue, ...]
    filler: re.Pattern
    asks: re.Pattern
    reading: dict
    unlinked: dict
    deal_question: Cue | None = None
    deal: dict = field(default_factory=dict)


def _cue(r: dict) -> Cue:
    return Cue(r.get("name", ""), re.compile(r["pattern"], re.I), r.get("needs", "any"),
               tuple(r.get("examples", ())), tuple(r.get("not_examples", ())))


@lru_cache(maxsize=2)
def load_followups(path: Path = FOLLOWUPS_PATH) -> FollowupRules:
    d: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return FollowupRules(
        deictics=tuple(_cue(r) for r in d["deictics"]), elliptical=tuple(_cue(r) for r in d["elliptical"]),
        subjects=tuple(_cue(r) for r in d["subjects"]), filler=re.compile(d["substitution_filler"], re.I),
        asks=re.compile(d["asks"], re.I), reading=d["reading"], unlinked=d["unlinked"],
        deal_question=_cue(d["deal_question"]),
        deal={"sentence": d["deal"], "verbs": d["deal_verbs"], "verb": d["deal_verb"]})


# ----------------------------------------------------------------- what a conversation holds

@dataclass(frozen=True)
class Context:
    """What the turns so far leave for the next one."""
    subject: str = ""                                   # the last question's subject (「少額特例」)
    situation: tuple[str, ...] = ()                     # turns that told, not asked (「イランに医療機器を輸出したい」)
    question: str = ""                                  # the last question, as answered
    products: tuple[tuple[str, str], ...] = ()          # (as named, table item)
    countries: tuple[tuple[str, str], ...] = ()         # (as named, table name)
    parties: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    lang: str = "ja"

    @property
    def empty(self) -> bool:
        return not (self.subject or self.situation or self.products or self.countries or self.parties)

    def has(self, kind: str) -> bool:
        if kind == "party":
            return bool(self.parties)
        if kind == "product":
            return bool(self.products)
        return not self.empty


@dataclass(frozen=True)
class Reading:
    """How one turn is read: `kind` new | followup | substitution | unlinked; `question` the
    standalone question answered; `context` what the conversation holds after this turn."""
    kind: str
    question: str
    context: Context
    cue: str = ""


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _slots(text: str, tables) -> Context:
    from anpo.analysis import analyse
    a = analyse(text, tables)
    return Context(products=tuple((p.text, p.item or p.text) for p in a.products),
                   countries=tuple((c.text, c.name or c.text) for c in a.countries),
                   parties=a.parties, actions=a.actions, lang=a.language)


def _subject(t: str, rules: FollowupRules) -> str:
    for cue in rules.subjects:
        m = cue.pattern.search(t)
        if m:
            s = next((v for v in m.groupdict().values() if v), "")
            return s.strip(" 、,")
    return ""


def _first(cues: Sequence[Cue], t: str) -> list[Cue]:
    return [c for c in cues if c.pattern.search(t)]


def _only_slots(t: str, own: Context, rules: FollowupRules) -> bool:
    """The turn is nothing but new slot values and cue words (「じゃあ中国なら？」)."""
    if not (own.products or own.countries or own.parties):
        return False
    rest = t
    for surface in [p for p, _ in own.products] + [c for c, _ in own.countries] + list(own.parties):
        rest = rest.replace(normalize(surface), " ")
    return not rules.filler.sub("", rest).strip()


def _merge(ctx: Context, own: Context) -> Context:
    """The turn's own slots replace the conversation's of the same kind."""
    return replace(ctx, products=own.products or ctx.products, countries=own.countries or ctx.countries,
                   parties=own.parties or ctx.parties, actions=own.actions or ctx.actions, lang=own.lang)


def interpret(turn: str, ctx: Context, tables=None, rules: FollowupRules | None = None) -> Reading:
    """How `turn` reads after the conversation `ctx` (pure: no retrieval)."""
    rules = rules or load_followups()
    text = _nfkc(turn)
    t = normalize(text)
    own = _slots(text, tables)
    asks = bool(rules.asks.search(t))
    subject = _subject(text, rules) if asks else ""
    deictics = _first(rules.deictics, t)
    if deictics:
        if any(not (own.has(d.needs) if d.needs != "any" else False) and not ctx.has(d.needs) for d in deictics):
            return Reading("unlinked", text, ctx, deictics[0].name)
        if ctx.empty:
            return _new(text, subject, own, asks)
        return _followup(text, ctx, own, asks, rules, deictics[0])
    if asks and not ctx.empty and own.products and not {i for _, i in own.products} & {i for _, i in ctx.products} \
            and (own.countries or (subject and key_terms(subject))):
        return _new(text, subject, own, asks)        # its own product and destination or subject: a new topic
    elliptical = _first(rules.elliptical, t)
    if elliptical:
        if ctx.empty:
            if (own.empty and not (subject and key_terms(subject))) or _only_slots(t, own, rules):
                return Reading("unlinked", text, ctx, elliptical[0].name)
            return _new(text, subject, own, asks)
        if (ctx.question or ctx.situation) and _only_slots(t, own, rules):
            return _substitution(text, ctx, own, asks)
        return _followup(text, ctx, own, asks, rules, elliptical[0])
    if ctx.empty or (subject and key_terms(subject)):
        return _new(text, subject, own, asks)
    if (ctx.question or ctx.situation) and _only_slots(t, own, rules):
        return _substitution(text, ctx, own, asks)
    if asks and own.products and not set(i for _, i in own.products) & set(i for _, i in ctx.products):
        return _new(text, subject, own, asks)        # a question about another product: a new topic
    return _followup(text, ctx, own, asks, rules, None)


def _new(text: str, subject: str, own: Context, asks: bool) -> Reading:
    told = not asks and (own.products or own.countries or own.parties or own.actions)   # 「こんにちは」 tells nothing
    ctx = replace(own, subject=subject, situation=(text,) if told else (), question=text if asks else "")
    return Reading("new", text, ctx)


def _swap(text: str, old: Sequence[tuple[str, str]], new: Sequence[tuple[str, str]]) -> tuple[str, bool]:
    """The earlier turn's words for a slot replaced by this turn's (ロシア → 中国)."""
    if not new or not old:
        return text, False
    for surface, _ in old:
        m = re.search(re.escape(_nfkc(surface)), text, re.I)
        if m:
            word = _nfkc(new[0][0])
            if word.isascii() and re.search(r"[\u3040-\u30ff\u3400-\u9fff]", text):
                word = new[0][1]         # an English name in a Japanese question: the table's name
            return text[:m.start()] + word + text[m.end():], True
    return text, False


def _carried(ctx: Context, own: Context) -> list[str]:
    """The earlier text carried into the new question, with this turn's slots swapped in."""
    out = []
    for s in ctx.situation:
        s, _ = _swap(s, ctx.countries, own.countries)
        s, _ = _swap(s, ctx.products, own.products)
        out.append(s)
    return out


_OPENER = re.compile(r"^(?:じゃあ|じゃ|では|それなら|だったら|で、|and |so |then )\s*", re.I)
_JA_DEICTIC = re.compile(r"(?:それ|これ)(?=って|は|を|も|に|の|が)")
_EN_PRONOUN = re.compile(r"\b(it|they|them)\b(?!\s+(?:is|was) true)", re.I)
_VERB_END = re.compile(r"[うくぐすつぬぶむる]$")


def _join(parts: Sequence[str], english: bool) -> str:
    out = []
    for p in parts:
        p = p.strip()
        if not p:
            continue
        if out and not re.search(r"[。.!?！？]$", out[-1]):
            out[-1] += "." if english else "。"
        out.append(p)
    return (" " if english else "").join(out)


def _followup(text: str, ctx: Context, own: Context, asks: bool, rules: FollowupRules, cue: Cue | None) -> Reading:
    english = own.lang == "en"
    body = _OPENER.sub("", text) or text
    merged = _merge(ctx, own)
    situation = _carried(ctx, own)
    subject, _ = _swap(ctx.subject, ctx.countries, own.countries)
    deal = rules.deal_question.pattern.search(body) if rules.deal_question else None
    if not english and deal and not situation and (merged.products or merged.countries):
        situation, body, subject = [_deal_sentence(merged, rules)], body[deal.start():], ""
    elif not english and situation and not deal and _compact(merged) and _own_words(body):
        situation, body = [], _compact(merged) + "について、" + body
        ctx = replace(ctx, products=())      # named in the compact words already
    t = normalize(body)
    if subject and normalize(subject) not in t:
        if english:
            if not situation and _EN_PRONOUN.search(body):
                body = _EN_PRONOUN.sub(subject, body, count=1)
            else:
                body = f"About {subject}: {body}"
        elif _JA_DEICTIC.search(body):
            body = _JA_DEICTIC.sub(subject, body, count=1)
        else:
            body = subject + ("場合、" if _VERB_END.search(subject) else "は、") + body
    elif not subject and not situation and ctx.products and not own.products and _JA_DEICTIC.search(body):
        body = _JA_DEICTIC.sub(_nfkc(ctx.products[0][0]), body, count=1)
    question = _join(situation + [body], english)
    after = replace(merged, situation=ctx.situation if asks else ctx.situation + (text,),
                    question=question if asks else ctx.question)
    return Reading("followup", question, after, cue.name if cue else "")


_DEICTIC_WORDS = re.compile(r"それ|その(?:件|場合)?|これ|この件|あれ|あの件")


def _own_words(body: str) -> bool:
    """The turn says something of its own besides pointing back (「その場合は？」 says nothing)."""
    return bool(key_terms(_DEICTIC_WORDS.sub(" ", body)))


def _deal_sentence(c: Context, rules: FollowupRules) -> str:
    """The deal the conversation described, as the user would tell it (「ベトナムにマシニングセンタを輸出したい。」)."""
    verb = rules.deal["verbs"].get(c.actions[0], rules.deal["verb"]) if c.actions else rules.deal["verb"]
    text = rules.deal["sentence"].format(country=_nfkc(c.countries[0][0]) if c.countries else "海外",
                                         product=c.products[0][1] if c.products else "製品", verb=verb)
    return text


def _compact(c: Context) -> str:
    """The slots in a few words (「医療機器・イラン向け・留学生」)."""
    shown: list[str] = []
    for p in [i for _, i in c.products] + [f"{n}向け" for _, n in c.countries] + list(c.parties):
        if not any(p in s for s in shown):
            shown.append(p)
    return "・".join(shown)


def _substitution(text: str, ctx: Context, own: Context, asks: bool) -> Reading:
    english = own.lang == "en"
    if not ctx.question:             # a situation told: the same deal with the new value
        q = _join(_carried(ctx, own), english)
        return Reading("substitution", q, replace(_merge(ctx, own), situation=(q,)), "substitution")
    q, swapped = ctx.question, False
    for old, new in ((ctx.countries, own.countries), (ctx.products, own.products)):
        q, done = _swap(q, old, new)
        swapped = swapped or done
    for p in own.parties:
        if ctx.parties and normalize(ctx.parties[0]) in normalize(q):
            q = re.sub(re.escape(ctx.parties[0]), p, q, count=1, flags=re.I)
            swapped = True
    if not swapped:
        names = [s for s, _ in own.countries + own.products] + list(own.parties)
        lead = ", ".join(_nfkc(n) for n in names)
        q = f"For {lead}: {q}" if english else f"{'・'.join(_nfkc(n) for n in names)}の場合、{q}"
    # the told deal follows the swap too, or a later 「それって許可いる？」 carries the old destination
    merged = replace(_merge(ctx, own), question=q, situation=tuple(_carried(ctx, own)))
    return Reading("substitution", q, merged, "substitution")


# ----------------------------------------------------------------- the answer

def reading_line(r: Reading, rules: FollowupRules | None = None) -> str:
    """What the answer says at its top about how the turn was read."""
    rules = rules or load_followups()
    ro = rules.reading
    if r.context.lang == "en":
        return ro["en"].format(question=r.question)
    c = r.context
    parts = [_strip_own(c.subject)] + [i for _, i in c.products] + [ro["country"].format(name=n) for _, n in c.countries]
    parts += list(c.parties) + [ro["actions"].get(a, a) for a in c.actions[:1]]
    shown: list[str] = []
    for p in parts:
        if p and not any(p in s for s in shown):
            shown.append(p)
    if not shown:
        return ro["en"].format(question=r.question) if c.lang == "en" else f"（「{r.question}」として回答）"
    return ro["ja"].format(parts=ro["sep"].join(shown))


_OWN = re.compile(r"^(?:うちの|ウチの|弊社の|当社の|自社の|わが社の|我が社の)")


def _strip_own(subject: str) -> str:
    return _OWN.sub("", subject or "")


def unlinked_answer(turn: str, backend: str, lang: str, rules: FollowupRules | None = None) -> Answer:
    rules = rules or load_followups()
    text = rules.unlinked["en" if lang == "en" else "ja"].format(turn=turn)
    return Answer(question=turn, answer=text, grounded=False, backend=backend)


def _tables(assistant):
    try:
        retriever = assistant.retriever()
    except AttributeError:
        return None
    from anpo.slot_tables import tables_for
    return tables_for(retriever.index)


class Conversation:
    """One conversation (a CLI `anpo chat` run, one app session): each `ask` is read in the
    context of the turns before it.  Not shared between threads."""

    def __init__(self, assistant):
        self.assistant = assistant
        self.context = Context()
        self.readings: list[Reading] = []

    def reset(self) -> None:
        self.context = Context()
        self.readings = []

    def read(self, question: str) -> Reading:
        """How `question` would be read now (does not change the conversation)."""
        return interpret(question, self.context, _tables(self.assistant))

    def prepare(self, question: str) -> Reading:
        """Read `question` and take it into the conversation (what `ask` does before answering;
        the app streams `reading.question` and then calls `present`).  An unlinked turn leaves
        the conversation as it was."""
        from anpo.pipeline import validate_question
        validate_question(question)
        r = self.read(question)
        self.readings.append(r)
        if r.kind != "unlinked":
            self.context = r.context
        return r

    def present(self, r: Reading, answer: Answer | None, user_question: str, backend: str = "extractive") -> Answer:
        """The answer as the user sees it: the reading on top, `question` the user's words,
        `interpreted_as` the standalone question; an unlinked turn's answer says so."""
        if r.kind == "unlinked" or answer is None:
            lang = "en" if _slots(r.question, None).lang == "en" else "ja"
            return unlinked_answer(user_question.strip(), backend, lang)
        if r.kind == "new":
            return answer
        return replace(answer, question=user_question.strip(), answer=reading_line(r) + "\n" + answer.answer,
                       interpreted_as=r.question)

    def ask(self, question: str, k: int | None = None, backend: str | None = None) -> Answer:
        r = self.prepare(question)
        if r.kind == "unlinked":
            name = backend or getattr(getattr(self.assistant, "settings", None), "backend", "extractive")
            return self.present(r, None, question, name)
        ans = self.assistant.ask(question if r.kind == "new" else r.question, k=k, backend=backend)
        return self.present(r, ans, question)

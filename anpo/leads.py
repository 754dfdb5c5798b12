"""The answer's first sentence: what a sentence says about the asked clause, and how it is
quoted when it leads.

- `asked(question)` → the predicate family a yes/no question asks about (need / applies /
  can) and whether it asks the negative (「いらないよね？」).
- `stance(sentence, family)` → "+", "-", "?" (「…とは限りません」) or None, read from the
  sentence's main clause (Japanese puts the predicate last).
- `agrees(word, question, sentence)` is the check every 「はい」/「いいえ」 passes: a 「はい」
  never precedes a sentence that negates the asked clause, a 「いいえ」 never one that states it.
- `about_exemption(question, sentence)`: a sentence about an exemption (「…公知の技術に含まれます」)
  never answers はい/いいえ to "is it controlled?" — the exemption holding means the opposite.
- `alone(sentence)` drops an opening connective (「このため、」) from a sentence quoted without
  the one it refers to.
- `definition_term(question)` / `defines(sentence, term)`: 「Xとは／Xって何／What is X」 is led by
  the sentence that defines X.

The patterns are data (data/leads.yaml), each with examples that run as tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from retrieval.textnorm import normalize

LEADS_PATH = Path(__file__).parent / "data" / "leads.yaml"


def _any(patterns) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


@dataclass(frozen=True)
class Family:
    name: str
    asks: re.Pattern
    negated: re.Pattern
    yes: re.Pattern
    no: re.Pattern
    examples: tuple[dict, ...] = ()
    states_first: re.Pattern | None = None      # double negations (「禁止されるものではありません」)
    objects: re.Pattern | None = None           # what is needed (許可, 確認, 届出 …)


@dataclass(frozen=True)
class LeadRules:
    families: tuple[Family, ...]
    depends: re.Pattern
    connective: re.Pattern
    definition_asks: tuple[re.Pattern, ...]
    defines: tuple[str, ...]
    copula: re.Pattern
    raw: dict
    exemptions: tuple[tuple[re.Pattern, re.Pattern], ...] = ()


@lru_cache(maxsize=2)
def rules(path: Path = LEADS_PATH) -> LeadRules:
    d: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    fams = tuple(Family(name, _any(f["asks"]), _any(f["negated"]), _any(f["states"]), _any(f["denies"]),
                        tuple(f.get("examples", ())), _any(f["states_first"]) if f.get("states_first") else None,
                        _any(f["objects"]) if f.get("objects") else None)
                 for name, f in d["families"].items())
    conn = re.compile(r"^(?:" + "|".join(re.escape(c) for c in d["connectives"]) + r")[、,]\s*")
    return LeadRules(fams, _any(d["depends"]), conn, tuple(re.compile(p, re.I) for p in d["definition_asks"]),
                     tuple(d["defines"]), _any(d["copula"]), d,
                     tuple((re.compile(e["sentence"]), re.compile(e["question"], re.I)) for e in d.get("exemptions", ())))


# ----------------------------------------------------------------- polarity

def family(name: str) -> Family | None:
    return next((f for f in rules().families if f.name == name), None)


def declarative_yesno(question_sentence: str) -> bool:
    """A statement asked with a question mark (「we cannot trade with them at all?」, a follow-up read
    as a whole question): yes/no when it names a family's predicate."""
    q = normalize(question_sentence).strip()
    return bool(re.search(r"[?？]$", q)) and asked(q)[0] is not None and bool(re.search(rules().raw["declarative_yesno"], q))


def proposition(question_sentence: str) -> str:
    """The asked sentence without a request to confirm it (「…ってことでいい？」「…と理解してよろしい
    ですか」「…という認識で合ってますか」 "Am I right in thinking …?"): what is asked is the
    proposition itself, not permission (normalised)."""
    q = normalize(question_sentence)
    for p in rules().raw.get("confirm_tail", ()):
        q = re.sub(p, "？", q, count=1)
    for p in rules().raw.get("confirm_head", ()):
        q = re.sub(p, "", q, count=1)
    return q


def confirms(question_sentence: str) -> bool:
    """The asked sentence asks to confirm a proposition (「…って営業が言ってたけど、ほんと？」「…ってことでいい？」, a
    confirm_tail or confirm_head dropped by `proposition`): a yes/no question whatever else it holds."""
    q = normalize(question_sentence)
    return proposition(q).rstrip(" ?？。") != q.rstrip(" ?？。")


def claimed_question(question: str) -> str:
    """A claim told in one sentence and asked about in the next, which only asks to confirm it ("Someone told us
    the embargo is limited to military items. Is that right?" 「…一度取ればずっと有効なんだとか。…本当ですか？」,
    leads.yaml `bare_confirm`): the question as the claim asked to be confirmed ("…, right?" 「…ってことで合って
    ますか？」), so the lead reads the claim, not "is that right?".  "" when the last sentence asks something itself."""
    parts = [p for p in re.split(r"(?<=[。！!？?])\s*|(?<=\.)\s+", (question or "").strip()) if p.strip()]
    if len(parts) < 2:
        return ""
    whole = normalize(parts[-1]).strip()
    # the whole last sentence, or its last clause after a Japanese 「…ですが、」 (「…一回きりにしたいんですが、本当ですか？」);
    # never an English tag (", right?" ends the sentence's own claim)
    last = [whole] + ([re.split(r"[、,]\s*", whole)[-1].strip()] if not whole.isascii() else [])
    if not any(re.search(p, x) for p in rules().raw.get("bare_confirm", ()) for x in last):
        return ""
    claim = parts[-2].strip().rstrip("。.！!？? ")
    if re.search(r"[?？]$", parts[-2].strip()) or not claim:
        return ""       # the sentence before asks itself (「…何か国？本当？」)
    head = " ".join(parts[:-2])
    tail = ", right?" if claim.isascii() else "ってことで合ってますか？"
    return (head + " " if head else "") + claim + tail


def question_last(question: str) -> str:
    """A question followed by what the asker tells after it (「…最新版ですよね？うちはずっとそれで照合してるんだけど」「…という
    理解で正しいか。導入の年月もあわせて確認したい。」 "…this year? We heard it might be."): the question with those sentences
    told before it, so the sentence that asks is read as the asked one; "" when the last sentence asks itself or no earlier
    one does (data/leads.yaml question_last)."""
    d = rules().raw["question_last"]
    if (question or "").isascii():
        return ""       # (an English remark after the question may carry its claim: "…? Someone assured us that …")
    parts = [p for p in re.split(d["split"], (question or "").strip()) if p.strip()]
    if len(parts) < 2 or re.search(d["asks"], normalize(parts[-1]).strip()):
        return ""
    i = max((j for j, p in enumerate(parts[:-1]) if re.search(d["asks"], normalize(p).strip())), default=-1)
    if i < 0:
        return ""
    told = [p.strip() if re.search(r"[。．.！!]$", p.strip()) else p.strip() + ("." if p.strip().isascii() else "。")
            for p in parts[i + 1:]]
    return " ".join(parts[:i] + told + [parts[i].strip()])


def without_condition(question_sentence: str) -> str:
    """The asked sentence without a condition before its asserted clause (「許可なしで輸出したら、」 "If we
    export without a licence,"): the condition's words (なし, without) ask and assert nothing (normalised)."""
    q = normalize(question_sentence)
    rest = re.sub(rules().raw["condition"], "", q, count=1)
    return rest if rest.strip(" 、,?？") else q


def asked(question_sentence: str) -> tuple[Family | None, bool]:
    """The family the asked sentence asks about and whether it asks the negative (read after any
    condition: 「許可なしで輸出したら罰則があるんですよね？」 asks nothing about a licence)."""
    q = without_condition(proposition(question_sentence))
    for f in rules().families:
        if f.asks.search(q) or f.negated.search(q):
            return f, bool(f.negated.search(q))
    if rules().copula.search(q):
        return family("applies"), False
    return None, False


def negation_unread(question_sentence: str) -> bool:
    """The asked sentence holds a negation (leads.yaml negation_unread: "never") while its family reads it
    as asking the positive: agreeing 「はい」 with a sentence would agree with the opposite of the question."""
    q = without_condition(proposition(question_sentence))
    fam, negated = asked(q)
    return not negated and any(re.search(p, q) for p in rules().raw.get("negation_unread", ()))


def without_obligation(question_sentence: str) -> str:
    """The asked sentence without its obligation forms (「守らなきゃいけない」「出さないとダメ」), whose
    ない asks the positive: what is left tells whether the question asks a negative."""
    q = normalize(question_sentence)
    for p in rules().raw.get("obligation_forms", ()):
        q = re.sub(p, "", q)
    return q


def without_unsaid(question_sentence: str, sentence: str) -> bool:
    """The question asks whether something holds without X (「…がなくても」「…せずに」 "without a
    licence") and the sentence says nothing of doing without (no 「なくても」「不要」「免除」…): its
    「できます」 is about doing it with X, no 「はい」 to the question."""
    return _any_of("without", proposition(question_sentence)) and not _any_of("without_stated", sentence)


def recurrence_unsaid(question_sentence: str, sentence: str) -> bool:
    """The asked sentence asks whether something recurs (「毎年」「年に一回」 "every year", data/leads.yaml `recurs`)
    and the sentence says nothing recurs: it states something done once, which answers no 「はい」."""
    return _any_of("recurs", question_sentence) and not _any_of("recurs", sentence)


def universal_unsaid(question_sentence: str, sentence: str) -> bool:
    """The question claims something of every case (「毎回」「全部の」 "every shipment") and the sentence
    states it of some case only (no 「全て」「常に」「問わず」 …): no 「はい」."""
    return _any_of("universal", proposition(question_sentence)) and not _any_of("universal_stated", sentence)


def own_word(fam: Family | None, word: str) -> bool:
    """`word` (a topic word) names the family's own predicate (料金 for cost), which a sentence
    states through its stance (「無料」), not by repeating the word."""
    words = rules().raw.get("own_stance_words", {}).get(fam.name if fam else "", ())
    return any(w in normalize(word) for w in words)


def unasked_spans(question_sentence: str, fam: Family | None) -> list[str]:
    """The parts of the asked sentence that name no topic: the predicate of a family whose own words a sentence states
    through its stance (「お金取られる」 for cost: 「無料」 answers it, no 金取 needed) and a comparison of manner
    (「コンサルみたいに」「大企業のように」: what it is likened to is not what is asked about), normalised."""
    q = normalize(question_sentence)
    out = [m.group(0) for m in re.finditer(rules().raw["comparison"], q)]
    if fam is not None and fam.name in rules().raw.get("own_stance_only", ()) and not q.isascii():
        # (a Japanese predicate is its own run of words; an English pattern spans its subject: "is naccs free")
        out += [m.group(0) for p in (fam.asks, fam.negated) for m in p.finditer(q)]
    return out


def without_indefinites(question_sentence: str) -> str:
    """The asked sentence without the words that look like question words but ask nothing when it ends asking yes/no
    (leads.yaml not_question_words): the copula 「罰金なんでしょ？」「任意なんですか？」 and the indefinites 「どこかに」「何か
    手続き」「誰かに」 ("somewhere", "something"): 「どこかに問い合わせないとまずい？」 asks yes/no, not where."""
    d = rules().raw.get("not_question_words", {})
    q = question_sentence
    q = re.sub(d.get("copula", "(?!x)x"), "", q)
    if re.search(d.get("yesno_end", "(?!x)x"), q.rstrip()):
        q = re.sub(d.get("indefinite", "(?!x)x"), "", q)
    return q


def _any_of(row: str, text: str) -> bool:
    t = normalize(text)
    return any(re.search(p, t, re.I) for p in rules().raw.get(row, ()))


def after_reasons(question_sentence: str) -> str:
    """The asked sentence after its reasons (「…持ってくだけで売るわけじゃないし、これって輸出には当たらない
    ですよね？」 asks 「これって輸出には当たらない」; 「…だから、」「…ので、」 "…, so"): a reason tells why the asker
    believes it, it asks nothing (normalised; the whole sentence when nothing follows the last reason)."""
    q = proposition(question_sentence)
    cut = 0
    for m in re.finditer(rules().raw["reason_clause"], q, re.I):
        cut = m.end()
    rest = q[cut:]
    return rest if len(rest.strip(" 、,?？")) >= 4 else q


def only_in_reasons(pattern: re.Pattern, question_sentence: str) -> bool:
    """`pattern` is said in the asked sentence's reasons or concessions only (「該非判定ってのが要るらしいけど、経産省に
    送れば判定してもらえるんですよね？」: 要る is what the asker heard; what is asked is whether 経産省 judges): it is not asked."""
    q = proposition(question_sentence)
    rest = after_reasons(question_sentence)
    if rest == q or not q.endswith(rest):
        return False
    return bool(pattern.search(q[:len(q) - len(rest)])) and not pattern.search(rest)


def reason_words(question_sentence: str, words) -> tuple[str, ...]:
    """Of `words` (topic words), those the asked sentence says only in its reasons (「タダであげるんだから売買じゃないし、
    輸出管理の対象外でいい？」 → タダ, 売買): why the asker believes it, not what is asked."""
    q = proposition(question_sentence)
    rest = after_reasons(question_sentence)
    if rest == q or not q.endswith(rest):
        return ()
    reason = q[:len(q) - len(rest)]
    return tuple(w for w in words if normalize(w) in reason and normalize(w) not in rest)


def complement_shared(question_sentence: str, sentence: str, fam: Family | None) -> bool:
    """What the sentence's predicate is said of shares a word with what the asked predicate is said of: the words just
    before each (「輸出管理の対象外？」 ← 「…貨物の輸出に当たります」 share 輸出; 「…CPを届け出ている企業が主な対象になる」 names
    企業 only, it speaks of another 対象).  True when either names no such word (nothing to compare)."""
    if fam is None:
        return True
    q, s = after_reasons(question_sentence), main_clause(sentence)
    mq = next((m for p in (fam.negated, fam.asks) for m in p.finditer(q)), None)
    ms = next((m for p in (fam.no, fam.yes) for m in p.finditer(s)), None)
    if mq is None or ms is None:
        return True
    span = rules().raw["complement_span"]
    wq = _bigrams(q[max(0, mq.start() - span):mq.start()])
    ws = _bigrams(s[max(0, ms.start() - span):ms.start()])
    return not wq or not ws or bool(wq & ws)


def not_enough(question_sentence: str) -> bool:
    """「…信じるだけじゃ足りない？」「…だけでは不十分？」 "isn't just X enough?": the negative of an `enough` question (an
    extension of X answers 「はい」, not 「いいえ」)."""
    return _any_of("not_enough", after_reasons(question_sentence))


def exclusive(question_sentence: str) -> bool:
    """「武器だけの話でしょ？」 'only applies outside Group A': an "only X" question (its だけ in the asked clause,
    not in a reason before it: 「持ってくだけで売るわけじゃないし、…当たらないよね？」 minimises)."""
    return _any_of("exclusive", after_reasons(question_sentence)) or not_enough(question_sentence)


def figures(text: str) -> list[tuple[float, str, int, int]]:
    """(value, unit, start, end) of each amount or period in `text` (「7万円」 70000 円, 「3年以下」 3 年,
    「2週間」); calendar years and dates (「2019年8月2日」) are left out."""
    d, t = rules().raw["figures"], normalize(text)
    out = []
    for m in re.finditer(d["number"], t):
        v = float(m.group("n").replace(",", "")) * {"万": 1e4, "億": 1e8}.get(m.group("x") or "", 1)
        u = d["units"].get(m.group("u"), m.group("u"))
        if u == "年" and (v >= 100 or re.match(r"\s*(度|\d|月)", t[m.end():])):
            continue
        if u == "日" and re.search(r"月\s*$", t[:m.start()]):
            continue
        out.append((v, u, m.start(), m.end()))
    return out


def asserted_figure(question_sentence: str) -> tuple[float, float, str] | None:
    """The one amount or period a yes/no question asserts (「1件7万円ちょっと」「最長5年」「2週間くらい」)
    as (low, high, unit): 「ちょっと／強」 reads up to 15% above, 「くらい／約」 10% either side."""
    d, q = rules().raw["figures"], proposition(question_sentence)
    fs = figures(q)
    if len(fs) != 1:
        return None
    v, u, start, end = fs[0]
    # the figure is what is asserted (「…最長5年って合ってる？」「…原則60日以内ですか？」), not the subject of another
    # predicate (「審査期間の90日には、…も含まれますか？」「90日を超えることってありますか？」)
    rest = re.sub(d["qualifier_after"], "", q[end:], count=1)
    if not re.match(d["asserted_after"], rest):
        return None
    if re.search(d["above"], q[end:end + 8]):
        return v, v * 1.15, u
    if re.search(d["about"], q[end:end + 8]) or re.search(d["about_before"], q[max(0, start - 4):start]):
        return v * 0.9, v * 1.1, u
    return v, v, u


def _figure_clause(t: str, start: int, end: int) -> str:
    """The words a figure is said of: its bracket (「罰則（5年以下の懲役…）」, with the word before it) or
    its clause (between 、)."""
    open_ = max(t.rfind("(", 0, start), t.rfind("（", 0, start))
    if open_ >= 0 and max(t.rfind(")", 0, start), t.rfind("）", 0, start)) < open_:
        close = min([i for i in (t.find(")", end), t.find("）", end)) if i >= 0] or [len(t)])
        return t[max(0, open_ - 8):close]
    left = max(t.rfind("、", 0, start), t.rfind("。", 0, start))
    right = min([i for i in (t.find("、", end), t.find("。", end)) if i >= 0] or [len(t)])
    return t[left + 1:right]


def _bigrams(text: str) -> set[str]:
    runs = re.findall(r"[一-龥ァ-ヶー]{2,}", text)
    return {r[i:i + 2] for r in runs for i in range(len(r) - 1)}


def figure_word(question_sentence: str, sentence: str) -> str:
    """「はい。」 when the sentence states the asserted figure (same unit) of what the question says it of,
    「いいえ。」 when it states another figure of that unit of it, "" otherwise.  A figure is said of the
    words of its clause (its bracket when it stands in one: 「外為法の罰則（5年以下の懲役…）や行政制裁の
    対象」 says 5年 of 罰則, not of 行政制裁); of several, the one sharing most with the question's clause."""
    a = asserted_figure(question_sentence)
    if a is None:
        return ""
    lo, hi, u = a
    s, q = normalize(sentence), proposition(question_sentence)
    qf = figures(q)[0]
    asked_words = _bigrams(_figure_clause(q, qf[2], qf[3]))
    if len({w for w in asked_words if not re.search(rules().raw["figures"]["qualifiers"], w)} - _bigrams(q[qf[2]:qf[3]])) < 1:
        # 「…輸出禁止になることもあって、それが最長3年？」: the figure's own clause names nothing but the figure (それが
        # 最長3年): it is said of what the question told before it
        asked_words |= _bigrams(q[:qf[2]])
    mine = [(f, len(_bigrams(_figure_clause(s, f[2], f[3])) & asked_words)) for f in figures(s) if f[1] == u]
    mine = [(f, n) for f, n in mine if n > 0]
    if not mine:
        return ""
    top = max(n for _, n in mine)
    best = [f for f, n in mine if n == top]
    if any(lo <= f[0] <= hi for f in best):
        return "はい。"
    return "いいえ。" if len(best) == 1 else ""


def condition_figure(question_sentence: str) -> tuple[float, str, str] | None:
    """The one amount or period the asked sentence makes the condition of its claim (「日本に来て3か月経てば居住者でしょ？」 →
    (3, か月, 「外為法上は居住者でしょ」)): its value, unit and the clause it is the condition of (normalised)."""
    d, q = rules().raw["figures"], proposition(question_sentence)
    fs = figures(q)
    if len(fs) != 1:
        return None
    v, u, _, end = fs[0]
    m = re.match(d["condition_after"], q[end:])
    if m is None:
        return None
    rest = q[end + m.end():].strip(" 、,")
    return (v, u, rest) if _bigrams(rest) else None


def threshold_word(question_sentence: str, sentence: str) -> str:
    """「はい。」/「いいえ。」 when the sentence states the asked claim after a figure of the asked unit (「外国人は、日本に入国してから
    6か月が経過するか、…居住者として扱われます」 for 「3か月経てば居住者でしょ？」): はい at or past its figure, いいえ short of it;
    the sentence must name a word of the claim after its figure (居住者, not 非居住者 alone) and the figure must be a threshold
    (「…が経過」「…を超え」「…以上」); "" otherwise."""
    c = condition_figure(question_sentence)
    if c is None:
        return ""
    v, u, claim = c
    d, s = rules().raw["figures"], normalize(sentence)
    claim_words = _bigrams(claim) - _bigrams(rules().raw["figures"].get("claim_generic", ""))
    for f in figures(s):
        if f[1] != u or not re.match(d["threshold_after"], s[f[3]:]):
            continue
        after = s[f[3]:]
        if not claim_words & _bigrams(after) or complement_subject(claim, after):
            continue
        return "はい。" if v >= f[0] else "いいえ。"
    return ""


def predicative(pattern: re.Pattern, sentence: str, question_sentence: str = "") -> bool:
    """A match of `pattern` (a denial) that is the sentence's predicate, not a negation inside a modifier or a
    condition (data/leads.yaml adnominal_negation): 「…懸念が払拭されない企業・組織のリストで、…公表しています」 denies
    nothing (its されない modifies 企業) of 「…当初から公表されているという理解で正しいか」, whose predicate (公表) its main
    clause states.  (A sentence whose main clause says nothing of the asked predicate is read as before.)"""
    s = normalize(sentence)
    after = rules().raw["adnominal_negation"]
    if any(not (s[:m.end()].endswith("ない") and re.match(after, s[m.end():])) for m in pattern.finditer(s)):
        return True
    pred = asked_predicate(question_sentence) if question_sentence else None
    return not (pred is not None and not pred[1] and pred[0] in main_clause(s))


def premise_objects(question_sentence: str) -> tuple[str, ...]:
    """What the asker says is not needed (「許可なしで出せる」「許可は気にしなくていい」 "…, so no licence"), in the
    pack's words (data/leads.yaml premise_object; an English question's words through anpo.english.japanese_topic)."""
    d = rules().raw["premise_object"]
    q = normalize(question_sentence)
    if q.isascii() or re.search(r"[a-z]{3,}\s+[a-z]{3,}", q):
        from anpo.english import japanese_topic
        return tuple(dict.fromkeys(m.group(1) for m in re.finditer(d["en"], normalize(japanese_topic(q)), re.I)))
    return tuple(dict.fromkeys(m.group(1) for m in re.finditer(d["ja"], q)))


def asked_sentence_of(question: str) -> str:
    from anpo.analysis import asked_sentence
    return asked_sentence(normalize(question))


def need_asked(question_sentence: str) -> bool:
    """The sentence asks, positively, whether something is needed (the need family, not negated)."""
    fam, neg = asked(after_reasons(question_sentence))
    return fam is not None and fam.name == "need" and not neg


def states_premise(question_sentence: str, sentence: str) -> bool:
    """The sentence itself says the asker's not-needed thing is not needed (「…を許可なく輸出できる特例で、…申告する必要
    があります」 for 「許可なしで出せる特例あったよね？」), and what it says is needed is something else (its main clause names
    no word of it): a contradiction read from its 「必要」 would be about another thing (data/leads.yaml premise_stated)."""
    objs = premise_objects(after_reasons(asked_sentence_of(question_sentence)))
    if not objs and need_asked(asked_sentence_of(question_sentence)):
        # "…, so no licence. Is there still something we have to do?": the premise told before the asked sentence, which asks
        # what else is needed
        objs = premise_objects(question_sentence)
    if not objs:
        return False
    s = normalize(sentence)
    said = [m for m in re.finditer(rules().raw["premise_stated"], s)]
    if not said:
        return False
    asked = set().union(*(_bigrams(o) for o in objs))
    if not any(_bigrams(m.group(1)) & asked for m in said):
        return False
    rest = s[max(m.end() for m in said):]
    return bool(re.search(rules().raw["premise_other_need"], rest)) and not (_bigrams(rest) & asked)


def excepted(question_sentence: str, sentence: str) -> bool:
    """The question names the case the sentence excepts (「…用いられないことが明らかな場合は、不要と考えて
    よいですか」 ← 「…用いられないことが明らかな場合を除き、輸出許可申請が必要です」): in that case the rule does
    not hold, so the sentence confirms "not needed there" (most of the excepted clause's words are asked)."""
    s, q = normalize(sentence), proposition(question_sentence)
    m = re.search(rules().raw["except_cue"], s)
    if m is None:
        return False
    before = s[:m.start()]
    clause = before[max(before.rfind("、"), before.rfind(","), before.rfind("。")) + 1:]
    words = _bigrams(clause)
    # (at least 5 of its bigrams: 「グループBに当たる国を除いて」 is too short to be a case the question names)
    return len(words) >= 5 and len(words & _bigrams(q)) >= 0.6 * len(words)


def only_if(question_sentence: str, sentence: str, soft: bool = False) -> bool:
    """The sentence states the asked clause only under a condition (「…インフォーム通知を受けた場合に限り
    許可が必要」) that the question does not name (「台湾向けは許可いる？」): its 「はい」 would say more
    than it does; it depends, with that condition."""
    s, q = normalize(sentence), proposition(question_sentence)
    for p in rules().raw.get("only_if_soft" if soft else "only_if", ()):
        m = re.search(p, s)
        if m is None:
            continue
        runs = re.findall(r"[一-龥ァ-ヶー]{2,}", s[max(0, m.start() - 14):m.start()])
        words = {r[i:i + 2] for r in runs for i in range(len(r) - 1)}
        return not any(w in q for w in words)
    return False


def only_under_condition(sentence: str) -> bool:
    """The sentence states its clause only under a condition (「…場合に限り許可が必要」): it contradicts "never",
    not "not in the other case"."""
    s = normalize(sentence)
    return any(re.search(p, s) for p in rules().raw.get("only_if", ()))


def restricted(question_sentence: str, sentence: str) -> bool:
    """「それだけで直ちに罰則の対象？」 asks whether X alone is enough; a sentence whose main clause
    restricts it to another case (「…罰則の対象となるのは、…命令に違反した場合だけです」) says no."""
    return _any_of("sufficient", question_sentence) and _any_of("restricts", main_clause(sentence))


def extends(sentence: str, question_sentence: str = "") -> bool:
    """The sentence extends a rule beyond a case (「…であっても」「…だけでなく」「…ほかに…にも」);
    given the "only X?" question, the extension is about X (a word of X stands just before it:
    「グループA向けでも」 for 「グループA以外だけ？」, not 「…非該当品を輸出する場合でも」)."""
    t = normalize(sentence)
    asked_groups, said = groups(question_sentence), groups(sentence)
    if asked_groups and said and not asked_groups & said and \
            any(stance(sentence, family(n)) == "+" for n in ("need", "applies")):
        return True     # 「グループA以外だけが対象？」 ← 「グループA向けの取引で…通知を受けた場合は…許可申請が必要」
    if asked_groups and said and said <= asked_groups:
        return False    # "only outside Group A?" ← 「グループA以外の国・地域へ…輸出する場合でも…」: its でも stays inside the asked groups
    if _any_of("enough", proposition(question_sentence)) or not_enough(question_sentence):
        return _any_of("extends_enough", sentence)      # "is just X enough?" ← 「…だけでなく…も」, whatever it extends
    words = _exclusive_words(question_sentence)
    for p in rules().raw.get("extends", ()):
        for m in re.finditer(p, t, re.I):
            if not words or any(w in t[max(0, m.start() - 15):m.start()] for w in words):
                return True
    return False


def exclusive_subject(question_sentence: str) -> str:
    """X of a Japanese 「Xだけ／Xのみ／Xしか」 question (「判定は装置本体だけやればいい？」 → 装置本体), normalised; ""."""
    q = after_reasons(question_sentence)
    if not q or q.isascii():
        return ""
    m = next((m for p in rules().raw.get("exclusive", ()) for m in [re.search(p, q, re.I)] if m), None)
    if m is None:
        return ""
    return re.split(r"って|は|が|、|,", q[:m.start()])[-1][-14:]


def _exclusive_words(question_sentence: str) -> tuple[str, ...]:
    """The words of X in a Japanese 「Xだけ／Xのみ／Xしか」 question."""
    before = exclusive_subject(question_sentence)
    if not before:
        return ()
    runs = re.findall(r"[一-龥ァ-ヶーa-z0-9]{2,}", before)
    return tuple(dict.fromkeys(r[i:i + 2] for r in runs for i in range(len(r) - 1)))     # bigrams: 担当者個人 ~ 個人


def copula_complement(question_sentence: str) -> tuple[str, ...]:
    """「手荷物でも輸出？」 asks whether Y (輸出) applies: the kanji/katakana words of Y, when the
    question has no predicate of a family (else ())."""
    q = proposition(question_sentence)
    if any(f.asks.search(q) or f.negated.search(q) for f in rules().families):
        return ()
    m = rules().copula.search(q)
    if m is None or q.isascii():
        return ()
    runs = re.findall(r"[一-龥ァ-ヶー]{2,}", m.group(0))
    return tuple(dict.fromkeys(r[i:i + 2] for r in runs for i in range(len(r) - 1)))     # bigrams: 取引禁止 ~ 取引


def main_clause(sentence: str) -> str:
    """The sentence's last clause (after its last 「、」 outside brackets), at least 12 chars."""
    s = normalize(sentence).rstrip("。.!！ ")
    depth, cut = 0, 0
    for i, ch in enumerate(s):
        if ch in "「（(『":
            depth += 1
        elif ch in "」）)』":
            depth = max(0, depth - 1)
        elif ch in "、," and depth == 0 and len(s) - i > 12:
            cut = i + 1
    return s[cut:]


def asked_predicate(question_sentence: str) -> tuple[str, bool] | None:
    """The asked clause's own last predicate, as its stem, and whether it is negated (「…も連動して変わるという理解で
    正しいですか」 → (変わ, False); 「…判定してもらえるんですよね？」 → (判定, False); 「…変わらないでしょ？」 → (変わ, True)),
    read after its reasons and without its asking tail (data/leads.yaml echo.tail); None when it ends in no
    kanji/katakana word (「…でいい？」 asks permission, not a predicate a sentence can repeat)."""
    d = rules().raw["echo"]
    q = after_reasons(question_sentence)
    q = re.sub(d["tail"], "", q.rstrip(" 、,。.?？!！")).rstrip(" 、,。")
    m = re.search(r"([一-龥]{1,4}|[ァ-ヶー]{2,})([ぁ-ん]{0,12})$", q)
    if m is None or q.isascii():
        return None
    word, kana = m.group(1), m.group(2)
    stem = word + kana[:1] if len(word) == 1 else word        # 変わる → 変わ (one kanji alone says too little)
    if len(stem) < 2 or word in d.get("generic", ()):
        return None
    # (「…するしかない」「…しなきゃいけない」 state it: their ない negates nothing)
    return stem, bool(re.search(d["negated"], re.sub(d["not_negation"], "", kana)))


def echo_word(question_sentence: str, sentence: str) -> str:
    """「はい。」 when the sentence's main clause ends in the asked predicate itself (the same stem, followed only by
    its inflection or a light verb: 「…対象範囲も自動的に変わります」 for 「…連動して変わる？」), with the same polarity;
    「いいえ。」 with the opposite (「…は変わりません」, 「…は判定を行わない」 for 「…判定してもらえる？」); "" otherwise.
    For predicates no family names (変わる, 判定する, 連動する): the sentence repeats what is asked."""
    p = asked_predicate(question_sentence)
    if p is None:
        return ""
    stem, neg = p
    mc = main_clause(sentence)
    # (or the pack's word for it: 「自分でやる」 ← 「自ら行う」, data/leads.yaml echo.same)
    i, stem = max((mc.rfind(w), w) for w in [stem] + list(rules().raw["echo"].get("same", {}).get(stem, ())))
    if i < 0:
        return ""
    after = mc[i + len(stem):]
    if not re.fullmatch(rules().raw["echo"]["inflection"], after):
        return ""
    said_neg = bool(re.search(rules().raw["echo"]["negated"], re.sub(rules().raw["echo"]["obligation"], "", after)))
    d = rules().raw["echo"]
    if (rules().depends.search(after) or re.search(d["possibility"], after)) and re.search(d["possibility_asked"], normalize(question_sentence)):
        return "はい。" if said_neg == neg else "いいえ。"     # 「…おそれってある？」 ← 「…転用される可能性があります」
    if rules().depends.search(after) or re.search(d["possibility"], after):
        return "いいえ。" if neg and not said_neg else ""      # 「変わることがあります」 corrects "never changes" only
    return "はい。" if said_neg == neg else "いいえ。"


def stance(sentence: str, fam: Family | None) -> str | None:
    """"+" (states it), "-" (denies it), "?" (not necessarily) or None (says nothing of it)."""
    if fam is None:
        return None
    for text in (main_clause(sentence), normalize(sentence)):
        # the main clause decides; a sentence whose main clause says nothing of the family
        # (「…鵜呑みにせず、内容を確認してください」) is read whole
        if rules().depends.search(text):
            return "?"
        if fam.states_first is not None and fam.states_first.search(text):
            return "+"
        if fam.no.search(text):
            return "-"
        if fam.yes.search(text):
            return "+"
    return None


def agrees(word: str, question_sentence: str, sentence: str, asked_groups: frozenset[str] = frozenset(),
           question: str = "", words=()) -> bool:
    """False when the lead word contradicts what the sentence says of the asked clause:
    「はい」 before a sentence that denies what is asked (or states what a negative question
    denies), 「いいえ」 before a sentence that says what the question says.  `asked_groups`: the
    groups of the countries the question names (台湾 → {"c"}), from the tables; `question`: the whole
    question, when the asked sentence is its last (「…small-value exemption… Is that correct?」)."""
    if word not in ("はい。", "いいえ。"):
        return True
    fam, neg = asked(question_sentence)
    if word == "いいえ。" and restricted(question_sentence, sentence):
        return True                 # 「それだけで罰則？」 ← 「罰則の対象となるのは…命令に違反した場合だけです」
    if exclusive(question_sentence):
        return word == ("はい。" if not_enough(question_sentence) else "いいえ。") and extends(sentence, question_sentence)
    complement = copula_complement(question_sentence)
    if complement and not any(w in normalize(sentence) for w in complement) and echo_word(question_sentence, sentence) != word:
        return False                # 「違反しても罰金だけで済むんでしょ？」 is not answered by 「…罰則の対象となる…」
    if asked_groups and elsewhere(question or question_sentence, sentence):
        return False                # 「中国に工作機械を輸出するのは禁止？」 is not answered by what holds for Russia
    if other_group(question_sentence, sentence, asked_groups):
        return False                # 「グループAなら…？」「台湾向けにも…？」 are not answered by what holds for another group
    if about_exemption(question_sentence, sentence, question):
        return False                # 「…も公知の技術に含まれます」 is no 「はい」 to 「規制の対象？」
    if complement_subject(question or question_sentence, sentence):
        return False                # 「居住者なので…外れますよね？」 is not answered by what holds for 非居住者
    if not same_object(fam, question_sentence, clause_about(sentence, words or question_words(question_sentence), fam)):
        return False                # 「許可はいらない？」 is not answered by 「届出が必要です」 (read in the clause of a contrast
                                    # about the asked words, as the stance is: 「…届出理由書の提出は不要になりましたが、…」)
    if word == "はい。" and universal_unsaid(question_sentence, sentence):
        return False                # 「輸出するたびに毎回許可がいる？」 is not affirmed by what one case needs
    if word == "はい。" and recurrence_unsaid(question_sentence, sentence):
        return False                # 「年に一回何か提出するものある？」 is not affirmed by what the first filing holds
    if word == "はい。" and without_unsaid(question_sentence, sentence):
        return False                # 「該非判定書がなくても輸出できる？」 is not affirmed by 「…該非判定書を入手して使うことができます」
    st = stance(clause_about(sentence, words or question_words(question_sentence), fam), fam)
    if st is None and echo_word(question_sentence, sentence):
        # no family predicate stated, but the sentence's main clause ends in the asked predicate itself (「郵送しても受け付けて
        # もらえる？」 ← 「…郵送でも受け付けています」): its polarity is the answer
        return echo_word(question_sentence, sentence) == word
    if st is None and neg and word == "はい。":
        return False                # 「取引しちゃダメってことですか？」: a はい must rest on a sentence that says it is not allowed
    if st is None and fam is not None and fam.name == "can" and word == "はい。":
        return False                # 「包括許可って取れる？」 is not answered はい by 「…報告が必要です」 (another predicate)
    if word == "はい。" and st is None and fam is not None and fam.name in rules().raw.get("need_is_another_predicate", ()) \
            and stance(main_clause(sentence), family("need")) is not None \
            and not re.search(rules().raw["licence_needed"], main_clause(sentence)):
        return False                # 「すぐに使えるようになる？」 is not answered はい by 「…2週間程度かかるため、早めの手続きが必要です」
                                    # (a licence needed is being controlled: 「…も規制される？」 ← 「…許可が必要です」 stays)
    if st is None:
        # the sentence speaks of another predicate (「…確認する必要があります」 for 「関係ない？」):
        # the composer's own patterns decided; requiring a stance here loses more right leads
        # than wrong ones (measured: fresh_dev lead 72.7 → 59.1)
        return True
    if st == "?":
        return word == "いいえ。" and neg     # 「…とは限りません」 corrects "surely not needed"
    says_what_is_asked = (st == "+") != neg
    return says_what_is_asked == (word == "はい。")


_GROUP = re.compile(r"(?:グループ|\bgroup\s?)([a-d])(?![a-z])|(ホワイト国|\bwhite (?:list|countr))", re.I)


def groups(text: str) -> set[str]:
    """The country groups a text names (ホワイト国 is グループA; 「グループA・B」 names both)."""
    t = normalize(text)
    out = set()
    for m in _GROUP.finditer(t):
        g = (m.group(1) or "a").lower()
        # 「グループA以外」 names the other groups
        other = re.match(r"[）)」]?以外", t[m.end():]) or re.search(r"\b(outside|other than|non-)\s*$", t[:m.start()])
        out |= set("abcd") - {g} if other else {g}
    for m in re.finditer(r"グループ\s*([a-d](?:\s*[・、,]\s*[a-d])+)", t):
        out |= set(re.findall(r"[a-d]", m.group(1)))
    return out


def elsewhere(question: str, sentence: str) -> bool:
    """The sentence speaks of a destination under its own measures (ロシア, 北朝鮮, イラン …) that
    the question, which names its destination, does not name."""
    q, s = normalize(question), normalize(sentence)
    named = {m.group(0) for m in re.finditer(rules().raw["measure_places"], s)}
    english = rules().raw.get("measure_places_en", {})      # an English question names イラン as iran
    return bool(named) and not any(n in q or (english.get(n) and re.search(rf"\b{english[n]}\b", q)) for n in named)


def past_rule(sentence: str) -> bool:
    """The sentence states a rule as it was (「運用明確化より前は…対象外とされていました」「従来の…
    対象外でした」): it answers no yes/no question about what holds now."""
    return _any_of("past_rule", sentence)


def complement_subject(question: str, sentence: str) -> bool:
    """The question speaks of X (居住者, 該当品) and the sentence names X only as its complement (非居住者, 非該当品):
    what it says holds for the other case (「居住者だから…みなし輸出の対象から外れますよね？」 is not answered by 「…国内での
    非居住者への技術提供を輸出と同様に管理する仕組みです」)."""
    q, s = normalize(question), normalize(sentence)
    neg = rules().raw["complement_prefix"]
    for m in re.finditer(f"{neg}([一-龥ァ-ヶー]{{2,}})", s):
        run = m.group(1)
        for y in (run[:k] for k in range(len(run), 1, -1)):      # 非居住者への → 居住者, 居住
            asked = [i.start() for i in re.finditer(re.escape(y), q) if not (i.start() and re.match(neg, q[i.start() - 1]))]
            if asked and not re.search(f"(?<!{neg}){re.escape(y)}", s):
                return True
    return False


def other_group(question_sentence: str, sentence: str, country_groups: frozenset[str] = frozenset()) -> bool:
    """The question names a country group (or a country, whose group the tables give) and the
    sentence names only other groups."""
    asked_groups, said = groups(question_sentence) | set(country_groups), groups(sentence)
    return bool(asked_groups and said and not asked_groups & said)


def about_exemption(question_sentence: str, sentence: str, question: str = "") -> bool:
    """The sentence speaks of an exemption (公知, 特例…) that the question does not name, in its
    main clause (whether the exemption holds is the opposite of "is it controlled / needed?") or
    as its subject (what holds where the exemption applies): its polarity is no answer to it."""
    fam, neg = asked(question_sentence)
    if neg and stance(sentence, fam) != "+":
        return False        # 「中古品なら確認はいらないよね？」 ← 「…確認が免除されることはない」: いいえ holds
    q = normalize(question or question_sentence)       # the exemption may be named before the asked sentence
    # nor by what holds where an exemption applies (「少額特例が適用される輸出には…包括許可を適用する
    # ことはできません」「少額特例は、キャッチオール規制には適用されません」): the exemption may be the subject
    return any(s.search(normalize(sentence)) and not qp.search(q) for s, qp in rules().exemptions)


def case_claim_unsaid(question_sentence: str, sentence: str) -> bool:
    """The asked sentence claims, for a reason, that the asker's case IS an exemption (「業界ではみんな知ってる技術
    なので、公知の技術に当たりますよね？」 "well known in our industry, so it counts as publicly available, correct?")
    and the sentence says nothing of that reason (no word of it): what holds for the exemption is no 「はい」 that the
    case is one."""
    q = proposition(question_sentence)
    m = None
    for m in re.finditer(rules().raw["case_reason"], q, re.I):
        pass
    if m is None:
        return False
    reason, claim = q[:m.start()], q[m.end():]
    if not reason.strip() or not any(re.search(r["question"], claim, re.I) for r in rules().raw.get("exemptions", ())):
        return False
    words = _bigrams(reason) - _bigrams(claim) - set(rules().raw.get("case_reason_generic", ()))
    return not words & _bigrams(normalize(sentence))


def exemption_word(question_sentence: str, sentence: str, question: str = "") -> str:
    """「ネットで公開済みの技術も規制される？」 describes the case of an exemption (公知) without naming
    it; a sentence whose main clause says the exemption holds (「…も、公知の技術に含まれます」「…許可
    不要です」) answers 「いいえ」 (「はい」 when the question asks the negative: 「対象外ですよね？」)."""
    fam, neg = asked(question_sentence)
    if fam is None or fam.name not in ("applies", "need"):
        return ""
    q, clause = normalize(question or question_sentence), main_clause(sentence)
    for row in rules().raw.get("exemptions", ()):
        if not row.get("described") or not re.search(row["sentence"], normalize(sentence)) or re.search(row["question"], q, re.I):
            continue
        if re.search(row["described"], q, re.I) and (stance(clause, family("applies")) == "+" or stance(clause, family("need")) == "-"):
            return "はい。" if neg else "いいえ。"
    return ""


def same_object(fam: Family | None, question_sentence: str, sentence: str) -> bool:
    """The sentence names what the question asks to be needed (許可, 確認 …), when it names any."""
    if fam is None or fam.objects is None or normalize(question_sentence).isascii():
        return True         # (an English question's objects are English; the pack's sentences Japanese)
    # the clause that asks (「…もらったので、うちは何も調べなくていい？」: not the reason before it)
    asked_objects = {m.group(0) for m in fam.objects.finditer(main_clause(question_sentence))}
    window = _predicate_window(sentence, fam)
    if asked_objects and asked_objects <= set(rules().raw.get("generic_objects", ())):
        # 「手続き的なものは何もいらない？」 asks of every procedure: a licence or a filing needed is one
        return True
    return not asked_objects or any(o in window for o in asked_objects)


def _predicate_window(sentence: str, fam: Family) -> str:
    """What the sentence's last need/denial predicate is about: the compound holding the object
    word nearest before it, in its clause (「…包括許可を使う前に確認する必要」 is about 確認;
    「…への届出が必要」 about 届出; 「…許可申請が必要」 about 許可申請)."""
    n = normalize(sentence)
    ends = [m for p in (fam.yes, fam.no) for m in p.finditer(n)]
    if not ends:
        return n
    end = max(ends, key=lambda m: m.start()).start()
    clause = n[:end]
    clause = clause[max(clause.rfind("、"), clause.rfind(","), clause.rfind("。")) + 1:]
    objs = list(fam.objects.finditer(clause)) if fam.objects is not None else []
    if not objs:
        # no object in the predicate's clause: what is needed is the sentence's subject before it (「該非判定は貨物だけでなく、
        # 技術…についても必要です」 is about 判定), else the clause speaks of no object the question could miss
        return n[:end] if fam.objects is not None and fam.objects.search(n[:end]) else clause
    first = len(objs) - 1
    # objects joined by と/及び/・ share the predicate (「CPの策定と…への届出は任意」 is about both)
    while first > 0 and _COORDINATED.search(clause[objs[first - 1].end():objs[first].start()]) \
            and "を" not in clause[objs[first - 1].end():objs[first].start()]:
        first -= 1
    return clause[max(0, objs[first].start() - 4):objs[-1].end()]


_COORDINATED = re.compile(r"と|及び|および|並びに|・")


def clause_about(sentence: str, words=(), fam: Family | None = None) -> str:
    """A sentence that contrasts two subjects (「Aの遵守は法律上の義務である一方、Bの策定は任意とされて
    います」「…ですが、…」) says one thing of each: the clause that holds more of the asked `words` (the
    question's topic words; else the question's own kanji/katakana bigrams), by length, is the one that
    answers; the family's own predicate words (義務, 必要) name no subject.
    No contrast, or no clause ahead of the other: the whole sentence (its main clause decides)."""
    n = normalize(sentence)
    parts = [p for p in re.split(rules().raw["contrast"], n) if p.strip()]
    ws = [normalize(w) for w in words if w and len(normalize(w)) > 1]
    if fam is not None:
        ws = [w for w in ws if not (fam.asks.search(w) or fam.yes.search(w) or fam.no.search(w))]
    if len(parts) < 2 or not ws:
        return sentence
    scores = [sum(len(w) for w in ws if w in p) for p in parts]
    top = max(scores)
    if top == 0 or scores.count(top) > 1:
        return sentence
    return parts[scores.index(top)]


def question_words(question_sentence: str) -> tuple[str, ...]:
    """The asked sentence's kanji/katakana bigrams (its topic, in the pack's script)."""
    runs = re.findall(r"[一-龥ァ-ヶー]{2,}", proposition(question_sentence))
    return tuple(dict.fromkeys(r[i:i + 2] for r in runs for i in range(len(r) - 1)))


def polar_word(question_sentence: str, sentence: str, words=()) -> str:
    """「はい。」 or 「いいえ。」 when the sentence's main clause states the asked predicate or its
    opposite (same family), else "".  `words`: the question's topic words, which pick the clause
    of a contrast that speaks of them (anpo.leads.clause_about)."""
    fam, neg = asked(question_sentence)
    sentence = clause_about(sentence, words or question_words(question_sentence), fam)
    st = stance(sentence, fam)
    if st not in ("+", "-") or not same_object(fam, question_sentence, sentence):
        return ""
    return "はい。" if (st == "+") != neg else "いいえ。"


def product_names(products) -> tuple[str, ...]:
    """The names a product slot goes by: as asked, the table's item, its candidate rows' names,
    each split into its parts (「無人航空機(uav)・製造装置等」 → 無人航空機, uav), generic parts left out."""
    raw = []
    for p in products:
        raw += [p.text, p.item] + [re.sub(r"^\S+項\S*\s+", "", c) for c in p.candidates]
    return split_names(raw)


def split_names(raw) -> tuple[str, ...]:
    d = rules().raw
    out = []
    for n in raw:
        n = normalize(n or "")
        out.append(n)
        out += [re.sub(r"等$", "", x.strip()) for x in re.split(d["product_name_split"], n)]
    keep = [n for n in out if len(n) > 1 and not n.startswith("その") and n not in d["product_name_generic"]]
    return tuple(dict.fromkeys(keep))


def ban_covers(products: tuple[str, ...], sentence: str) -> bool:
    """A ban sentence answers for the asked product when it names it or bans all goods
    (「…石油精製用の装置等の輸出…を禁止」 says nothing of 3Dプリンタ); no product asked: it does."""
    s = normalize(sentence)
    return not products or any(re.search(p, s) for p in rules().raw["ban_all_goods"]) or any(n in s for n in products)


def any_banned_place(sentence: str) -> bool:
    """The sentence speaks of the banned destinations as such (「禁止措置の対象国向けの貨物」 "countries under the
    ban"), not of one of them by name: what it says holds for each."""
    return bool(re.search(rules().raw["ban_any_place"], normalize(sentence)))


def states_exception(sentence: str) -> bool:
    """The sentence states an exception to a ban (「…特例的に承認を行うことがある」): no ban itself."""
    return bool(re.search(rules().raw["ban_exception_states"], normalize(sentence)))


def ban_exception(question: str, sentence: str) -> bool:
    """The question names a case a ban makes an exception for (「人道目的なら」「100%子会社向けなら」)
    and the sentence states that exception (「…人道支援目的の場合…特例的に承認を行うことがある」)."""
    q, s = normalize(question), normalize(sentence)
    if not states_exception(s):
        return False
    return any(re.search(r["question"], q, re.I) and re.search(r["sentence"], s) for r in rules().raw["ban_exceptions"])


def group_is_premise(question_sentence: str) -> bool:
    """「グループAの国にもキャッチオールは適用される？」: the question names a control besides the
    group, so it asks about the control, not which group the country is in."""
    q = normalize(question_sentence)
    return any(re.search(p, q, re.I) for p in rules().raw.get("group_premise", ()))


def group_complement(question_sentence: str) -> bool:
    """The asked clause names the complement of a group (「グループA以外」「非ホワイト国」 "non-Group A destinations"):
    it asks whether the country is outside it (data/leads.yaml group_complement)."""
    return bool(re.search(rules().raw["group_complement"], normalize(question_sentence), re.I))


# ----------------------------------------------------------------- connectives

def alone(sentence: str) -> str:
    """The sentence without an opening connective that refers to a sentence not quoted."""
    return rules().connective.sub("", sentence.lstrip(), count=1)


def connective_len(sentence: str) -> int:
    m = rules().connective.match(sentence.lstrip())
    return (len(sentence) - len(sentence.lstrip()) + m.end()) if m else 0


# ----------------------------------------------------------------- definitions

_TRIM = re.compile(r"^(?:すみません|ちょっと|えっと|あの|その|この|ところで|ちなみに|そもそも|いわゆる)[、,\s]*")


def definition_term(question: str) -> str:
    """The term a definition question asks about (normalised), or ""."""
    q = normalize(question).strip()
    q = re.sub(r"[?？。!！]+$", "", q).strip()
    q = q.split("。")[-1] if "。" in q else q
    for p in rules().definition_asks:
        m = p.search(q + ("?" if q.isascii() else ""))
        if m:
            t = _TRIM.sub("", m.group("t")).strip(" 「」\"'")
            t = re.sub(r"[「」\"]", "", t)
            if 1 < len(t) <= 30:
                return t
    return ""


def defines(sentence: str, terms) -> bool:
    """The sentence defines one of `terms` (「Xとは…」「Xは…をいう」「…を「X」といいます」)."""
    s = normalize(sentence).strip()
    for t in terms:
        if not t:
            continue
        et = re.escape(normalize(t))
        for p in rules().defines:
            if re.search(p.format(t=et), s):
                return True
    return False


# ----------------------------------------------------------------- claims

@dataclass(frozen=True)
class ClaimRow:
    kind: str
    claim: re.Pattern | None            # cues of the claim in the asked sentence
    unless: re.Pattern | None
    rejects: re.Pattern
    families: tuple[str, ...] = ()      # …or a question asking the positive of one of these families
    where: str = "sentence"             # "main": the rejection must be the sentence's main clause
    word: str = "いいえ。"                # the answer when the sentence rejects the claim (はい for a claim it states)
    decides: bool = False               # the rejection states the contrary of the claim itself (「全ての貨物」 for "limited to",
                                        # 「毎年」 for "every five years"): no stance of the sentence's predicate outweighs it


@lru_cache(maxsize=2)
def claim_rows(path: Path = LEADS_PATH) -> tuple[ClaimRow, ...]:
    raw = rules(path).raw.get("claims", ())
    return tuple(ClaimRow(r["kind"], _any(r["claim"]) if r.get("claim") else None,
                          _any(r["unless"]) if r.get("unless") else None, _any(r["rejects"]),
                          tuple(r.get("families", ())), r.get("where", "sentence"), r.get("word", "いいえ。"),
                          bool(r.get("decides", False))) for r in raw)


def claim_decides(kind: str) -> bool:
    """The claim row `kind` rejects by stating the contrary of the claim (leads.yaml `decides`)."""
    return any(r.kind == kind and r.decides for r in claim_rows())


def claim_kinds(question_sentence: str, said: bool = False) -> tuple[ClaimRow, ...]:
    """The kinds of claim the asked sentence makes (data/leads.yaml `claims`): 「省略でいい」 claims an
    exemption, 「必ず…ないと違法」 an obligation, 「ずっと使える」 permanence, 「例外ゼロ」 no exception;
    a question asking the positive of a family in a row's `families` makes that row's claim."""
    q = without_condition(proposition(question_sentence))
    fam, neg = asked(question_sentence)
    if fam is None and q != without_condition(normalize(question_sentence)):
        fam = family("applies")         # 「…非該当ってことでいい？」 asks to confirm that X is Y
    out = []
    for r in claim_rows():
        if r.unless is not None and r.unless.search(q):
            continue
        if r.claim is not None and r.claim.search(q) or not said and fam is not None and not neg and fam.name in r.families:
            out.append(r)
    return tuple(out)


def claim_word(question_sentence: str, sentence: str, words=(), said: bool = False) -> tuple[str, str]:
    """(「いいえ。」, kind) when the sentence rejects the kind of claim the asked sentence makes (「…と考えるのは
    誤りです」 for 「許可なしで出せる？」, 「…免除されることはない」 for 「省略でいい？」, 「…は任意」 for
    「必ず届け出ないと違法？」, 「有効期限は…1年」 for 「ずっと使える？」, 「…は例外として扱われます」 for 「例外
    ゼロ？」); ("", "") otherwise.  The rejection is read in the clause about the asked `words` (a contrast's
    half), in its main clause where the row says so.  Whether the sentence speaks of the asked words is the
    composer's check (anpo.compose._claim_lead).  `said`: only claims the question words with a row's own cues
    (「別の組織？」「今も…のまま？」), not those read from its predicate alone."""
    kinds = claim_kinds(question_sentence, said)
    if not kinds:
        return "", ""
    fam, _ = asked(question_sentence)
    clause = clause_about(sentence, words or question_words(question_sentence), fam)
    for r in kinds:
        text = main_clause(clause) if r.where == "main" else normalize(clause)
        if r.rejects.search(text):
            return r.word, r.kind
    return "", ""

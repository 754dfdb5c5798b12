"""A kanji run cut out of a colloquial verb phrase is no topic noun (retrieval/data/verb_endings.tsv,
`textnorm.verb_fragments`): 「お金取られる」 → 金取, 「売上欲しい」 → 売上欲, 「大口注文来た」 → 大口注文来 weighed 8 like an
unknown topic noun (残業時間, 商標登録) and sank in-scope questions to a refusal.  Unknown, such a fragment
now weighs like a detail of the situation (anpo/grounding.py); a noun compound keeps its weight, and
near-domain out-of-scope questions told the same colloquial way stay refused.

The questions were written for this test in owners' words (none is copied from an eval set)."""

from __future__ import annotations

import pytest

from anpo import grounding
from retrieval.textnorm import key_terms, verb_endings, verb_fragments
from scope_checks import assert_answered, assert_carried_by, assert_refused

EXAMPLES = [(c, q) for c, _, ex in verb_endings() for q in ex]


def test_every_ending_class_shows_three_wordings():
    for c, _, ex in verb_endings():
        assert len(set(ex)) >= 3, c


@pytest.mark.parametrize("cls,q", EXAMPLES, ids=[f"{c}:{q[:20]}" for c, q in EXAMPLES])
def test_an_example_holds_a_fragment_of_its_class_and_is_answered(pack, cls, q):
    found = verb_fragments(q)
    assert cls in found.values(), (q, found)
    assert_answered(pack, q)
    weights = dict(pack.explain(q).weights)
    unknown = grounding._weights()["unknown"]
    assert all(weights.get(w, 0) < unknown for w, c in found.items() if c == cls), weights


# refused before: the fragment outweighed the subject (without the table each falls below the threshold)
CARRIED = [
    "CISTECに相談するとお金取られる？",
    "輸出許可の申請って手数料取られるの？",
    "該非判定書、お金払わないと作ってもらえないの？",
    "研修会は参加費取られる？",
]


@pytest.mark.parametrize("q", CARRIED)
def test_a_verb_phrase_no_longer_sinks_the_question(pack, monkeypatch, q):
    assert_carried_by(pack, monkeypatch, q, grounding, "verb_fragments", lambda _q: {})


@pytest.mark.parametrize("q,word", [
    ("商標登録しておいたほうがいい？", "商標登録"),          # する follows a noun: 登録し is no verb stem
    ("残業時間って月何時間まで？", "残業時間"),              # って marks a topic noun
    ("技術者たちに図面を見せてもいい？", "技術者"),           # たち is a suffix, not た
    ("審査は半年ぐらいかかる？", "半年"),                    # ぐらい/くらい follow a noun
    ("輸出して大丈夫？", "輸出"),
])
def test_a_noun_stays_a_noun(q, word):
    assert word in {g[0] for g in key_terms(q)}
    assert word not in verb_fragments(q)


# near-domain questions of other fields, told with the same colloquial verbs: still refused
@pytest.mark.parametrize("q", [
    "ビザ取れるまで何か月かかる？",
    "中国で商標取られたらどうすればいい？",
    "残業代払わないとダメ？",
    "消費税戻るのはいつ？",
    "社会保険料高いんだけど、海外出向者はどうなる？",
    "保険入らないと輸出できない？",
])
def test_out_of_scope_verb_phrases_stay_refused(pack, q):
    assert_refused(pack, q)


# 「教えてくれない」「教えてください」「教えてもらえない」 is the asker being told, not teaching: the action 教える
# (data/intents.yaml actions) added 技術の提供 to the query, which pulled four passages on technology
# transfer and none on the end use, and 「客が用途教えてくれない…」 was refused with grounding 0.00.
@pytest.mark.parametrize("q", [
    "客が用途を教えてくれないんだけど、どうしたらいい？",
    "最終需要者を教えてもらえない取引は断るべき？",
    "代理店がエンドユーザーを教えてくれません。このまま出荷していいですか？",
])
def test_being_told_is_no_teaching(pack, q):
    from anpo.analysis import analyse
    assert "教える" not in analyse(q).actions
    assert_answered(pack, q)


@pytest.mark.parametrize("q", ["留学生に技術を教えてもいい？", "中国人技術者に図面の読み方を教えたい", "研修生に機械の操作方法を教えても大丈夫？",
                               "ベトナムの客先から、現地で加工のノウハウを教えてほしいと頼まれた"])
def test_teaching_is_still_teaching(q):
    from anpo.analysis import analyse
    assert "教える" in analyse(q).actions

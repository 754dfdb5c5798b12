"""Needless refusals (round 14, helper scope): a word the pack never uses weighed like the topic although the question only
tells it.  Three classes, each carrying questions written for it (none copied from an eval set); each question is answered,
and its grounding score falls when the behaviour is removed (scope_checks.assert_carried_by):

- the noun of a pointer at a quoted name (「『貿易経済協力局』宛てに…。その局名で今も合ってる？」): 局名 is the name pointed at
  (anpo.grounding._pointer_words);
- reasons listed one word each (「身内だし同盟国だし、許可は関係ないよね？」): each labels the case like one reason alone
  (anpo.grounding._reason_words);
- a kanji repeated by 々 (「グループAの国々」): the plural of a word the pack writes singly (anpo.grounding._REPEATED).
(How often the asker ships, 「毎月」「毎回」, was tried as an incidental detail and dropped: removed from the topic, 「毎回パスでいい」
lost its いいえ to a wrong はい, f4-052.)
"""

from __future__ import annotations

import re

import pytest

from anpo import grounding
from scope_checks import assert_answered, assert_carried_by

POINTER = [
    "先輩の資料に『安全保障貿易管理課』ってあった。その課名って今も同じ？",
    "申請書の宛先に『貿易経済安全保障局』って書いた。その局名で合ってる？",
    "社内規程に『該非確認責任者』って書いた。その職名で問題ない？",
    "取引先の書類に『安全保障貿易審査課』って宛名があった。その課名で今も合ってる？",
]
REASONS = [
    "無償だし少量だし、サンプルなら許可はいらないよね？",
    "中古だし旧型だし、工作機械の該非判定なんてしなくていいよね？",
    "小口だし単発だし、許可申請は省略していいよね？",
]
REPEATED = [
    "グループAの国々って全部で何か国？",
    "懸念国とされる国々ってどこのこと？",
    "グループBの国々ってどこ？",
]


@pytest.mark.parametrize("q", POINTER)
def test_the_noun_of_a_pointer_is_the_name_pointed_at(pack, monkeypatch, q):
    assert_carried_by(pack, monkeypatch, q, grounding, "_pointer_words", lambda analysis: set())


@pytest.mark.parametrize("q", REASONS)
def test_reasons_listed_one_word_each_are_told(pack, monkeypatch, q):
    assert_carried_by(pack, monkeypatch, q, grounding, "_reason_words", lambda question, terms: [])


@pytest.mark.parametrize("q", REPEATED)
def test_a_repeated_kanji_is_the_plural_of_the_packs_word(pack, monkeypatch, q):
    assert_carried_by(pack, monkeypatch, q, grounding, "_REPEATED", re.compile("(?!x)x"))


@pytest.mark.parametrize("q", [
    # the same frames around a topic the pack does not cover stay refused
    "社長の車検証に『普通自動車』ってあった。その車種名で保険に入れる？",
    "健康診断だし年1回だし、社員の残業代は関係ないよね？",
    "町内会の国々交流会って何を準備すればいい？",
])
def test_the_frames_do_not_carry_an_uncovered_topic(pack, q):
    assert not pack.ask(q).grounded, q

"""Round 14 (helper conv): the follow-up's own claim reaches the lead code after the slots are inherited.

- The deal's slots glued before a follow-up that names none of them are told as a clause of their own
  (`reading.slots_told`: 「ポンプ・ベトナム向け・顧客の件ですが、…」), so the analysis reads them as the situation
  (soft words) and the asked clause is the turn's own words.  Glued as 「…について、」 they were asked words a
  cited sentence had to state, and the lead gate ("coverage") dropped the 「はい」 that sentence stated.
- A quoted reading's own round brackets do not close the bracketed reading note (`reading.inner_brackets`):
  the answer's first sentence, its lead, was read from the middle of the note.
- The pack's term an answer is about (`answered_term`) is the subject when the question described it in its
  own words (「金額が小さい輸出の特例」 → 少額特例), and 「その特例」 in the next turn points at that term.
"""

import re

import pytest

from dialogue_checks import read
from anpo.analysis import analyse, asked_piece
from anpo.conversation import Context, Conversation, Reading, answered_term, interpret, reading_line


# ------------------------------------------------------------------ the slots told as the situation

@pytest.mark.parametrize("turns, slot", [
    (["ベトナムの客先に非該当の工業用ポンプを出す予定なんだけど", "で、これってキャッチオールの用途とか相手の確認もやらなきゃダメ？"], "ポンプ"),
    (["タイの代理店に非該当のバルブを売る予定です", "用途の確認って、うちでもしなきゃいけないんですか？"], "バルブ"),
    (["マレーシアの商社に測定器を送る話があって", "それ、需要者の確認もいるの？"], "測定"),
])
def test_the_inherited_slots_are_the_situation_of_the_asked_clause(tables, turns, slot):
    r = read(turns, tables)
    assert r.kind == "followup" and slot in r.question, r.question
    a = analyse(r.question, tables)
    # the slot is a situation word, and the clause that asks is the turn's own
    assert any(slot in w for w in a.soft), (r.question, a.soft)
    assert slot not in asked_piece(r.question.lower()), r.question


# ------------------------------------------------------------------ brackets inside the reading note

_NOTE = re.compile(r"^\s*(?:[（(【\[][^）)】\]]*[）)】\]]\s*)")        # a note ends at its first closing bracket


@pytest.mark.parametrize("question, lang", [
    ("うちの設計エンジニア、海外の会社と兼業してるらしい(グループ外の外国企業)。その人に資料を見せたらまずい?", "ja"),
    ("取引先(台湾の商社)から判定書を求められた。出す義務ってある?", "ja"),
    ("Our Rayong plant (a wholly-owned unit) wants the mould drawings. Are the rules looser for them?", "en"),
])
def test_the_reading_note_is_not_closed_by_the_question_s_own_brackets(question, lang):
    line = reading_line(Reading("followup", question, Context(lang=lang, qlang=lang), "", lang))
    m = _NOTE.match(line)
    assert m and m.end() == len(line), line


# ------------------------------------------------------------------ the pack's term the answer is about

@pytest.mark.parametrize("question, answer, term", [
    ("金額が小さい輸出の特例、あれはどういう仕組み？",
     "少額特例の上限額は原則として総価額100万円以下です。 [1]\n少額特例の判断に使う金額は契約額です。 [2]", "少額特例"),
    ("経産省が出してる懸念企業のリストってそもそも何？",
     "外国ユーザーリストは禁輸リストではありません。 [1]\n外国ユーザーリストは毎年改正されます。 [1]", "外国ユーザーリスト"),
    ("何件もまとめて出せる許可があるって聞いたけど、どういうもの？",
     "包括許可は、一定の範囲の輸出をまとめて許可するものです。 [1]\n包括許可の有効期間は原則3年とされます。 [2]", "包括許可"),
])
def test_the_answer_s_term_is_the_subject_the_question_described(question, answer, term):
    assert answered_term(question, answer) == term


@pytest.mark.parametrize("question, answer", [
    ("少額特例ってどういう仕組み？", "少額特例の上限額は原則として総価額100万円以下です。 [1]\n少額特例の判断に使う金額は契約額です。 [2]"),
    # named in one sentence only: no term the answer is about
    ("金額が小さい輸出の特例、あれはどういう仕組み？", "少額特例の上限額は原則として総価額100万円以下です。 [1]"),
    # the term ends in no noun the question says
    ("輸出の手続きってどうなってる？", "少額特例の上限額は原則として総価額100万円以下です。 [1]\n少額特例の判断に使う金額は契約額です。 [2]"),
])
def test_no_answered_term_when_the_question_names_one_or_the_answer_leans_on_none(question, answer):
    assert answered_term(question, answer) == ""


class _Says:
    """An assistant that answers every question with the same sentences, and records what it was asked."""
    def __init__(self, text):
        self.text, self.asked = text, []

    def ask(self, q, k=None, backend=None):
        from anpo.models import Answer
        self.asked.append(q)
        return Answer(q, self.text, True, "extractive")


@pytest.mark.parametrize("turns, text, term", [
    (["金額が小さい輸出の特例、あれはどういう仕組み？", "平壌向けの小口でも、その特例で通せる？"],
     "少額特例の上限額は原則として総価額100万円以下です。 [1]\n少額特例の判断に使う金額は契約額です。 [2]", "少額特例"),
    (["経産省が出してる懸念企業のリストってそもそも何？", "イランの会社がそのリストに載ってたら取引できない？"],
     "外国ユーザーリストは禁輸リストではありません。 [1]\n外国ユーザーリストは毎年改正されます。 [1]", "外国ユーザーリスト"),
    (["何件もまとめて出せる許可があるって聞いたけど、どういうもの？", "中国向けでもその許可で出せる？"],
     "包括許可は、一定の範囲の輸出をまとめて許可するものです。 [1]\n包括許可の有効期間は原則3年とされます。 [2]", "包括許可"),
])
def test_that_noun_points_at_the_term_the_answer_was_about(turns, text, term):
    fake = _Says(text)
    conv = Conversation(fake)
    conv.ask(turns[0])
    assert conv.context.subject == term
    conv.ask(turns[1])
    assert term in fake.asked[-1] and "その" not in fake.asked[-1], fake.asked

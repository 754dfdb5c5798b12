"""Round 11: a declared topic switch is found at the start of any sentence of the turn (「あ、それは
また今度でいいや。話変わるけど、…」, 「了解。で、全然別の話なんだけど、…」), and the question asked
is the turn without its switch clause (`switch.tail`, `switch.asks` in data/followups.yaml): the
clause names nothing the sources answer, and glued to the question it drew the wrong passages."""

import unicodedata

import pytest

from dialogue_checks import read
from anpo.conversation import Conversation, after_switch, load_followups


def _n(s):
    return unicodedata.normalize("NFKC", s).strip()


@pytest.mark.parametrize("turn, asks", load_followups().switch_asks)
def test_the_switch_clause_is_dropped_from_the_question(turn, asks):
    assert after_switch(_n(turn)) == _n(asks)


def test_the_table_has_three_own_wordings_at_least():
    assert len(load_followups().switch_asks) >= 3


@pytest.mark.parametrize("turn", [
    "ところで中国向けの場合、許可いる？",            # a content word before the break: the clause is the question's
    "別件でNACCSの利用料っていくら？",
    "それって許可いる？",
])
def test_a_clause_that_carries_content_is_kept(turn):
    t = _n(turn)
    assert after_switch(t) in (t, t.replace("ところで", "", 1))


@pytest.mark.parametrize("turns, asks", [
    (["ベトナムの協力工場に加工図面を送りたいんだけど。", "了解。で、全然別の話なんだけど、NACCSって登録してからどのくらいで使える？"],
     "NACCSって登録してからどのくらいで使える?"),
    (["台湾に軸受を出すんだけど、該非判定どう進めよう", "あ、そっちはまた今度で。話変わるけど、STCの試験って自宅のパソコンで受けられる？"],
     "STCの試験って自宅のパソコンで受けられる?"),
    (["韓国の子会社に部品を送る予定です", "ありがとう。それとは全然関係ないんですが、罰則の時効は何年ですか"],
     "罰則の時効は何年ですか"),
    (["We export control valves to a customer in Canada.", "Got it. Totally unrelated question: how long is an individual licence valid?"],
     "How long is an individual licence valid?"),
    (["We ship pumps to Thailand.", "Thanks. Unrelated, but who do we call about a voluntary disclosure?"],
     "Who do we call about a voluntary disclosure?"),
    (["台湾に軸受を出すんだけど、該非判定どう進めよう", "そっちは後回しでいいです。ちなみに別件で、STCの初級試験はスマホ受験できますか？"],
     "STCの初級試験はスマホ受験できますか?"),
    (["台湾に軸受を出すんだけど", "いや、それはまた後で考える。全然関係ない話だけど、STCの初級ってスマホで受けられる？"],
     "STCの初級ってスマホで受けられる?"),
    (["We export control valves to a customer in Canada.", "Never mind that for now. Separate question - what is the phone number of the inspection office?"],
     "What is the phone number of the inspection office?"),
])
def test_a_switch_in_a_later_sentence_starts_fresh_and_asks_the_rest(tables, turns, asks):
    r = read(turns, tables)
    assert r.kind == "new" and r.cue == "switch" and r.question == asks, r.question
    assert not r.context.situation and not r.context.countries


class _Asked:
    def __init__(self):
        self.asked = []

    def ask(self, q, k=None, backend=None):
        from anpo.models import Answer
        self.asked.append(q)
        return Answer(q, "回答 [1]", True, "extractive")


def test_the_assistant_is_asked_the_question_after_the_switch():
    fake = _Asked()
    conv = Conversation(fake)
    conv.ask("ベトナムの協力工場に加工図面を送りたいんだけど。")
    conv.ask("了解。で、全然別の話なんだけど、NACCSって利用申込みしてから実際に使えるまでどれくらいかかる？")
    assert fake.asked[-1] == "NACCSって利用申込みしてから実際に使えるまでどれくらいかかる?"

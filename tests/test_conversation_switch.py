"""Round 10: a declared topic switch starts fresh (`switch` in data/followups.yaml, a table of
markers and the interjections that may open them), and words that only open a turn ("Anyway,",
「で、」: `opening_words`) do not make its pointer point inside the turn itself."""

import unicodedata

import pytest
import yaml

from dialogue_checks import read
from anpo.conversation import _said_before, load_followups
from retrieval.textnorm import normalize


@pytest.mark.parametrize("turns", [
    ["海外子会社向けの包括許可について知りたいです", "いえ、それとは無関係に一点だけ。罰則の時効は何年ですか"],
    ["タイの子会社に図面を送りたい", "今の話とは関係ないんですが、STCの試験っていつ？"],
    ["キャッチオールの客観要件って？", "なるほど。さっきのとは別に、CPの届出って必要？"],
    ["What is catch-all control?", "Unrelated, but how long is an individual licence valid?"],
    ["We plan to ship pumps to a distributor in Thailand.", "Quick unrelated question: is the STC exam held every year?"],
    ["中国の代理店に真空ポンプを出したい", "ありがとうございます。別件ですが、包括許可の更新はいつ？"],
])
def test_a_declared_switch_inherits_nothing_even_after_an_interjection(tables, turns):
    r = read(turns, tables)
    # round 11: the question is the turn without its switch clause (test_conversation_switch_r11.py)
    assert r.kind == "new" and unicodedata.normalize("NFKC", turns[-1]).strip().endswith(r.question[1:]), r.question
    assert not r.context.situation and not r.context.countries


@pytest.mark.parametrize("turns", [
    ["中国の代理店に工作機械を出したい", "軍事とは無関係なんですが、それでも許可いる？"],
    ["We plan to sell sensors to a lab in India.", "Is a civilian product unrelated to weapons still covered by it?"],
    ["ベトナムの工場に工作機械を出荷したい", "うちの製品は兵器と全く関係ないけど、それって許可いる？"],
])
def test_the_goods_said_to_be_unrelated_is_no_switch(tables, turns):
    assert read(turns, tables).kind != "new"


def _opening():
    from anpo.conversation import FOLLOWUPS_PATH
    return yaml.safe_load(FOLLOWUPS_PATH.read_text(encoding="utf-8"))["opening_words"]


@pytest.mark.parametrize("turns, kind", [tuple(x) for x in _opening()["dialogues"]])
def test_a_pointer_after_opening_words_points_back_to_the_conversation(tables, turns, kind):
    assert read(turns, tables).kind == kind


@pytest.mark.parametrize("turn", _opening()["not_examples"])
def test_a_pointer_after_a_told_sentence_points_inside_its_turn(turn):
    rules = load_followups()
    t = normalize(unicodedata.normalize("NFKC", turn))
    cues = [c for c in rules.deictics if c.pattern.search(t)]
    assert cues and all(_said_before(t, c, rules) for c in cues)


# ----------------------------------------------------------------- the asked clause kept, not the story

@pytest.mark.parametrize("turns, reads", load_followups().told_goods["dialogues_en"])
def test_an_english_follow_up_asks_its_clause_of_the_goods_the_story_ships(tables, turns, reads):
    """"We won't charge them anything — is sending it still treated as exporting goods?" after a
    story that ships goods: the asked clause with "it" written out as the goods, not the story glued
    in front (its words drew the wrong passages)."""
    r = read(turns, tables)
    assert reads in r.question and not r.question.startswith(turns[0][:20]), r.question
    assert any(a.startswith(turns[0][:20]) for a in r.alternatives), r.alternatives


@pytest.mark.parametrize("turns", [
    ["We sell lab equipment to a university in India.", "Is India one of the Group A countries?"],
    ["Our firm ships pumps to a distributor in Vietnam.", "Is Vietnam on the Group D list?"],
    ["We want to export machine tools to a customer in Thailand.", "Does the catch-all control apply to machine tools for Thailand?"],
])
def test_an_english_question_naming_the_destination_and_a_term_is_its_own_after_a_story(tables, turns):
    r = read(turns, tables)
    assert r.kind == "new" and r.question == turns[-1], r.question


class _TermOnly:
    """An assistant that answers only a question asked of the term the story named."""
    def __init__(self, term):
        self.term, self.asked = term, []

    def ask(self, q, k=None, backend=None):
        from anpo.models import Answer
        self.asked.append(q)
        ok = q.startswith(self.term + "について、")
        return Answer(q, "回答 [1]" if ok else "お答えできません。", ok, "extractive")


@pytest.mark.parametrize("turns, term", [
    (["社長から該非判定書にハンコ押せって言われてるんですが、これ仕入れ品なんです。", "メーカーのをそのまま使えば、うちには責任なしってことでいい？"], "該非判定書"),
    (["取引先から外国ユーザーリストの照合結果を出せって言われまして。", "去年やったやつを使い回しても平気？"], "外国ユーザーリスト"),
    (["うち、来年から輸出者等遵守基準を守らなきゃいけないらしいんですよ。", "小さい会社でも全部やらないとダメ？"], "輸出者等遵守基準"),
])
def test_a_refused_story_reading_is_asked_again_of_the_term_the_story_named(turns, term):
    from anpo.conversation import Conversation
    fake = _TermOnly(term)
    conv = Conversation(fake)
    conv.ask(turns[0])
    ans = conv.ask(turns[1])
    assert ans.grounded and ans.interpreted_as.startswith(term + "について、"), fake.asked


@pytest.mark.parametrize("turns, kind", [
    (["ベトナムの工場に、うちで作ってるプラスチック原料用の混合機を出す話が進んでまして", "あの件、許可いる？"], "followup"),
    (["My company wants to send a free sample of our sensor to a firm in Brazil.", "Is the thing OK to ship?"], "followup"),
    (["We are going to ship two used lathes to a dealer in Kenya.", "Anyway, the thing we talked about — can it go out on Friday?"], "followup"),
    (["インドの工場に中古の射出成形機を2台売る予定です", "例の件って、もう出して大丈夫？"], "followup"),
    # nothing shipped was told: the pointer finds nothing
    (["Hello, I just joined the shipping desk.", "Is the thing OK to ship?"], "unlinked"),
    (["客先に見積を送りました", "あの件、許可いる？"], "unlinked"),
])
def test_a_pointer_at_the_goods_finds_goods_told_in_words_no_product_row_reads(tables, turns, kind):
    assert read(turns, tables).kind == kind

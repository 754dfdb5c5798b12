"""Question analysis: every row of anpo/data/intents.yaml serves its example questions (and
not its counter-examples), slots and the topic are found, and the wording bugs stay fixed."""

from __future__ import annotations

import pytest

from anpo.analysis import analyse, load_rules
from retrieval.textnorm import expand, key_terms

RULES = load_rules()


def _rows():
    for r in RULES.intents:
        for q in r.examples:
            yield pytest.param(r.name, q, True, id=f"{r.name}+{q[:12]}")
        for q in r.not_examples:
            yield pytest.param(r.name, q, False, id=f"{r.name}-{q[:12]}")


@pytest.mark.parametrize("name,question,fires", list(_rows()))
def test_intent_rows_serve_their_examples(name, question, fires):
    a = analyse(question)
    fired = name in a.intents or any(f.rule.startswith(name + " (needs") for f in a.fired)
    assert fired is fires


def test_every_row_carries_three_phrasings():
    for r in RULES.intents:
        assert len(r.examples) >= 3, r.name
    for r in RULES.incidental + RULES.parties + RULES.actions:
        assert len(r.examples) >= 3, r.name


@pytest.mark.parametrize("row", RULES.incidental, ids=lambda r: r.name)
def test_incidental_details_leave_the_topic(row):
    for q in row.examples:
        a = analyse(q)
        assert row.pattern.search(q.lower()) or row.pattern.search(q)
        assert a.dropped, q


@pytest.mark.parametrize("row", RULES.parties + RULES.actions, ids=lambda r: r.name)
def test_party_and_action_slots(row):
    for q in row.examples:
        a = analyse(q)
        assert row.name in a.parties + a.actions, q


def test_situation_words_weigh_little_but_the_asked_words_do_not():
    a = analyse("再来週シンガポールの見本市に試作機を持参して、会期後に持ち帰ります。手続きは？")
    assert "再来週" in a.dropped and "再来週" not in a.topic
    assert any(w.startswith("会期") for w in a.soft) and "持参" in a.soft     # (会期 → 展示会 is a synonym row)
    b = analyse("うちは輸出もしている会社ですが、従業員の残業時間の上限は？")
    assert "残業時間" not in b.soft


def test_multi_part_questions_are_split_and_later_parts_inherit_the_subject():
    for q in ["グループAは何カ国？韓国は入ってる？", "みなし輸出の明確化はいつから？特定類型って何種類？",
              "罰則って懲役何年？罰金はいくら？"]:
        a = analyse(q)
        assert a.intent == "multi_part" and len(a.parts) == 2, q
    a = analyse("グループAは何カ国？韓国は入ってる？")
    assert "グループa" in a.parts[1].query


@pytest.mark.parametrize("q", ["メーカーから非該当証明書をもらったから、もう何も確認しなくていいですよね？",
                               "ホワイト国向けなら何でも許可不要でしょ？",
                               "海外子会社に送るのは身内だから、許可とか関係ないよね？"])
def test_false_premises_are_recognised(q):
    assert analyse(q).premise == "not_needed"


@pytest.mark.parametrize("q", ["Can you book a seminar for us?", "Our broker handles the customs forms.",
                               "Is this a good book about export control?"])
def test_ok_does_not_match_inside_words(q):
    assert not any(f.rule == "permission" and f.matched.strip() == "ok" for f in analyse(q).fired)


@pytest.mark.parametrize("q", ["Can you tell us whether sending samples abroad counts as an export?",
                               "Please let us know how to apply for a licence.",
                               "Could you help us with the catch-all rules?"])
def test_us_is_not_the_united_states(q):
    assert "アメリカ合衆国" not in expand(q)


@pytest.mark.parametrize("q", ["Is it fine to send a sample?", "That's fine, thanks. How long is the review?",
                               "Fine, and what about drawings?"])
def test_fine_is_not_a_penalty(q):
    assert "罰則" not in expand(q)


@pytest.mark.parametrize("q", ["What are the fines for illegal exports?", "How large can the fines be?",
                               "Fines and prison terms under the FEFTA?"])
def test_fines_still_mean_penalties(q):
    assert "罰則" in expand(q)


@pytest.mark.parametrize("q", ["コンゴ共和国に部品を送りたい", "コンゴ向けの輸出は？", "コンゴに出張で装置を持っていく"])
def test_congo_is_not_the_drc(q):
    assert "コンゴ民主共和国" not in expand(q).replace(q, "")


@pytest.mark.parametrize("q", ["Can you tell us whether sending samples abroad counts as an export?",
                               "We are sending samples overseas.", "Do samples sent abroad need a licence?"])
def test_english_inflections_reach_the_synonym_table(q):
    t = expand(q)
    assert "サンプル" in t and "海外" in t or "サンプル" in t and "タイ" in t


@pytest.mark.parametrize("q", ["グループAは何カ国？", "罰金はいくら？何年以下？", "何項に当たる？"])
def test_question_words_are_not_topic_words(q):
    assert not [g for g in key_terms(q) if g[0].startswith("何")]


# (不良品 → 返品 came back as a row with three phrasings in synonyms.tsv: not a single-item row any more)
@pytest.mark.parametrize("q", ["宝石を輸出したい", "高級車を送る", "経産局に聞く"])
def test_single_item_rows_are_gone(q):
    assert expand(q) == expand(q).split(" ")[0] or all(w not in expand(q) for w in ("宝飾品", "高級自動車", "返品"))


@pytest.mark.parametrize("q", ["遵守基準ってリスト規制品を扱う会社だけの話ですよね？うちは汎用品しか出してないし",
                               "外為法の罰則って実際はたいしたことないんでしょ？気にしなくていいよね",
                               "許可申請を出したら、どれくらいで結果が出ますか？来月の船に間に合わせたいんです"])
def test_a_remark_after_the_last_question_mark_is_no_part(q):
    assert analyse(q).parts == ()


@pytest.mark.parametrize("q", ["海外への返品も輸出になる？不良品を送り返すだけなんだけど",
                               "サンプルも輸出に当たる？無償で渡すだけなんだけど",
                               "展示会への持ち出しは輸出？すぐ持ち帰る予定です"])
def test_the_asked_clause_keeps_its_intent_and_the_remark_is_situation(q):
    a = analyse(q)
    assert "yesno" in a.intents
    assert "輸出" not in a.soft


@pytest.mark.parametrize("q", ["該非判定って経産省に頼めばやってもらえるんでしょ？",
                               "外国ユーザーリストに載ってる会社とは取引しちゃダメなんだよね？",
                               "韓国ってまだホワイト国から外されたままでしたっけ？"])
def test_assertions_are_recognised(q):
    assert analyse(q).premise == "asserted"


@pytest.mark.parametrize("q", ["うっかり許可なしで出荷しちゃったかもしれない。どうしたらいい？",
                               "許可不要の品目って何があるの？",
                               "免除される場合はどんなとき？"])
def test_a_question_word_makes_no_not_needed_premise(q):
    assert analyse(q).premise != "not_needed"


@pytest.mark.parametrize("q", ["アメリカ向けはホワイト国だから、何を送っても許可なんていらないんですよね？",
                               "100万円以下の輸出なら少額特例で何でも許可いらないんでしょ？",
                               "Since the US is a Group A country, we can ship anything there without a licence, right?"])
def test_an_assertion_is_a_premise_even_with_a_question_word(q):
    assert analyse(q).premise == "not_needed"


@pytest.mark.parametrize("q", ["経産省が該非判定をしてくれるので、中小企業は自社で判定しなくてよい、で合っていますか？",
                               "少額なら許可は取らなくてよい、で合ってる？",
                               "We don't need a licence for samples, is that right?"])
def test_checking_an_assertion_is_a_premise(q):
    assert analyse(q).premise == "not_needed"


@pytest.mark.parametrize("q", ["海外子会社がある場合、親会社として求められる対応は何ですか？",
                               "代理店に求められる義務は？",
                               "研修生の受け入れで求められる手続は何ですか？"])
def test_a_party_alone_makes_no_deal(q):
    assert analyse(q).intent != "deal"


def test_no_pattern_holds_a_backspace():
    """YAML double quotes turn \\b into a backspace: every \\b must reach the regex as a word boundary."""
    pats = [p.pattern for r in RULES.intents for p in r.cues + r.unless + r.gives] + [p.pattern for p in RULES.premise.values()]
    assert not any("\x08" in p for p in pats)


@pytest.mark.parametrize("q,word", [("外国ユーザーリストに名前がなかったから、この相手はもう安心ってことでいい？", "安心"),
                                    ("ホワイト国向けなら何でも許可不要でしょ？", "不要"),
                                    ("少額だから許可は免除だよね？", "免除")])
def test_a_premise_word_is_not_a_topic_word(q, word):
    a = analyse(q)
    assert a.premise == "not_needed" and word not in a.topic


@pytest.mark.parametrize("q,asked,told", [("該非判定のやり方を教えてほしい。うちは小さい会社で専門の人もいない", "該非判定", "専門"),
                                          ("輸出許可の申請方法を知りたい。取引先はタイの工場です", "申請", "取引"),
                                          ("みなし輸出について教えてください。来月から大学の研究室と共同研究を始めます", "みなし輸出", "共同研究")])
def test_without_a_question_mark_the_piece_that_asks_is_the_focus(q, asked, told):
    a = analyse(q)
    assert asked not in a.soft and told in a.soft, a.soft


def test_slots_come_from_the_one_tables_layer():
    # issue 13: exactly one country map and one product matcher (anpo.tables); no fallback copy here
    from anpo import slot_tables
    assert not hasattr(slot_tables, "RowTables")
    assert [n for n in vars(slot_tables) if n.endswith("Tables")] == ["LayerTables"]

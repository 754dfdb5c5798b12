"""Round 13 (helper conv): what a follow-up names.

- A capital that names one country only (Kinshasa, Brazzaville) is that country, not the ambiguous
  「コンゴ」: a buyer told "in Kinshasa" gives the conversation the Democratic Republic of the Congo.
- A pointer at the destination ("that destination", "Would that be one of the countries …", 「その国」)
  asks of the ONE country the conversation named: the country stands in the pointer's place and the
  story before it (its customer, its mining, its signing on) is only the fallback reading.
- A route named before the country (「間に中国の会社を挟めば」) is a route: the told destination stays.
"""

import pytest

from dialogue_checks import read
from anpo.analysis import analyse


@pytest.mark.parametrize("q, name", [
    ("We got an enquiry from a buyer based in Kinshasa.", "コンゴ民主共和国"),
    ("キンシャサの鉱山会社に発電機を売りたい", "コンゴ民主共和国"),
    ("Our distributor has an office in Kinshasa; what do we check?", "コンゴ民主共和国"),
    ("ブラザビルの商社から引き合いがあった", "コンゴ共和国"),
])
def test_a_capital_of_one_congo_names_that_country(tables, q, name):
    assert [c.name for c in analyse(q, tables).countries] == [name]


@pytest.mark.parametrize("turns, country, story", [
    (["A Kinshasa-based mining company has signed on as a new customer of ours.",
      "Would that be one of the countries under a United Nations arms embargo?"], "Congo", "mining"),
    (["Our new customer is a trading company in Tehran.", "Is that country on the UN arms embargo list?"], "Iran", "trading"),
    (["モスクワの商社から部品の問い合わせが来た", "その国ってグループDに入ってる？"], "ロシア", "商社"),
])
def test_a_pointer_at_the_destination_asks_of_the_country(tables, turns, country, story):
    r = read(turns, tables)
    assert r.kind == "followup" and country in r.question and story not in r.question, r.question
    assert any(story in a for a in r.alternatives)       # the story glued in front: the fallback


@pytest.mark.parametrize("turns", [
    ["We sell pumps to Iran and Russia.", "Is that country in Group D?"],        # two countries: which one is not said
    ["イランとロシアに部品を出してる", "その国ってグループD？"],
    ["Our customer is in Tehran.", "Is that country or Belarus in Group D?"],    # the turn names a country of its own
])
def test_two_countries_or_one_of_its_own_leave_the_pointer(tables, turns):
    assert read(turns, tables).cue != "place"


@pytest.mark.parametrize("turns, reads", [
    (["北朝鮮向けの話なんだけど、ちょっと教えて", "間に中国の会社を挟めば輸出できるの？"], ["北朝鮮", "中国経由"]),
    (["イランの客からポンプの注文が来てる", "あいだにトルコの代理店をはさめば出せる？"], ["イラン", "トルコ経由"]),
    (["ロシア向けの件で相談です", "間にカザフスタンの商社を入れて送ったら大丈夫？"], ["ロシア", "カザフスタン経由"]),
])
def test_a_route_named_before_the_country_keeps_the_destination(tables, turns, reads):
    r = read(turns, tables)
    assert all(w in r.question for w in reads), r.question
    assert "向けの話" not in r.question and "中国向け" not in r.question


def _alone_rows():
    import yaml
    from anpo.conversation import FOLLOWUPS_PATH
    return yaml.safe_load(FOLLOWUPS_PATH.read_text(encoding="utf-8"))["person_told"]["alone"]


@pytest.mark.parametrize("turns, alone", _alone_rows())
def test_a_pronoun_for_the_person_told_has_the_person_named_as_fallback(tables, turns, alone):
    """`person_told.alone`: "Would showing him …?" after a visitor told → the story glued in front is the
    reading, the turn with "him" named ("a visiting researcher from a foreign university") its fallback."""
    r = read(turns, tables)
    assert r.kind == "followup" and alone in r.alternatives, r.alternatives


def test_three_own_wordings_of_the_person_phrase():
    assert len(_alone_rows()) >= 3


# The destination named again with a term of the pack (「じゃあ台湾向けならキャッチオールの客観要件はかかってくる？」) asks
# that term of the destination, whole: not the deal told before it (whose goods drew the deal checklist's 「一概には言えません」).
@pytest.mark.parametrize("turns", [
    ["台湾の取引先に温度センサーを出したいんだけど、台湾ってグループAに入ってる？", "じゃあ台湾向けならキャッチオールの客観要件はかかってくるってこと？"],
    ["タイの工場に工作機械を送る予定です", "じゃあタイ向けならインフォーム要件ってどうなる？"],
    ["マレーシアの代理店に測定器を売る話があります", "じゃあマレーシア向けなら外国ユーザーリストの照合ってどうすればいい？"],
])
def test_the_destination_again_with_a_term_is_asked_whole(tables, turns):
    r = read(turns, tables)
    assert r.kind == "new" and r.question.endswith(turns[-1][-8:].replace("？", "?")), r.question


@pytest.mark.parametrize("turns", [
    ["ロシアに工作機械を輸出できる？", "じゃあロシアなら許可いる？"],                      # a deal question: the deal
    ["タイの工場に工作機械を送る予定です", "じゃあタイ向けなら何を確認すればいい？"],
])
def test_the_destination_again_with_a_deal_question_follows_the_deal(tables, turns):
    assert read(turns, tables).kind == "followup"

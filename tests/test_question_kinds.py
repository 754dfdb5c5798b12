"""Question kinds as SMEs write them (deal checks, exemptions asked of a deal, desks, violations found,
requests followed by a second question), each class shown by three or more differently worded
questions over the real pack.  Each test fails when the behaviour it names is removed."""

from __future__ import annotations

import pytest

from anpo.analysis import analyse, question_parts

from lead_checks import first_line


# 「…を…に売る場合、何を確認すればいい？」「見積依頼が来たけど気をつけること」: the deal checklist is asked
WHAT_TO_CHECK = [
    "工作機械を中国に売る場合、何を確認すればいい？",
    "インドの代理店にポンプを出すとき、注意すべき点は？",
    "タイの工場へ中古の旋盤を送る際に確認しておくことってある？",
    "メキシコの会社から見積依頼が来た。気をつけることは？",
    "南アフリカの商社から見積もりの依頼をもらったんですが、何を確認すれば？",
]


@pytest.mark.parametrize("q", WHAT_TO_CHECK)
def test_what_to_check_before_selling_is_answered_by_the_deal_checklist(pack, q):
    tr = pack.explain(q)
    assert tr.route == "deal", (tr.route, tr.answer.answer[:200])
    assert "取引を進める前に" in tr.answer.answer
    assert "外国ユーザーリスト" in tr.answer.answer and "キャッチオール" in tr.answer.answer


# a deal whose asker hopes to use the small-value exemption for a destination it cannot be used for
EXEMPTION_DENIED = [
    ("イランの取引先に50万円分のバルブを送りたい。少額特例で出せる？", "イラン"),
    ("イラクの病院に中古の分析装置を1台売る話がある。80万円くらいなので少額特例を使えますか", "イラク"),
    ("We would like to sell one pressure gauge worth about 200,000 yen to a buyer in Iran. Can we use the small-value exemption?", "Iran"),
]


@pytest.mark.parametrize("q,where", EXEMPTION_DENIED)
def test_an_exemption_asked_of_a_deal_is_denied_by_the_sentence_naming_the_destination(pack, q, where):
    line = first_line(pack.ask(q))
    assert line.startswith(("いいえ。", "No.")), line
    assert where in line and ("少額特例" in line or "small-value" in line) and "[1]" in line, line


# where the deal's destination allows the exemption, no いいえ from a denial about other destinations
def test_an_exemption_asked_for_another_destination_gets_no_denial_lead(pack):
    line = first_line(pack.ask("タイの代理店にベアリングを30万円分出す。少額特例でいける？"))
    assert not line.startswith("いいえ"), line


# the ban measure's own word for the goods (建設機械, 宝飾品) names them as well as an everyday word does
BAN_GOODS_BY_THE_PACKS_WORD = [
    ("ロシアの会社から建設機械の部品を頼まれた。金額が小さいから少額特例でいけるかな？", "建設機械"),
    ("ロシアに建設機械を輸出できますか？", "建設機械"),
    ("ロシアの客に宝飾品を送ってもいい？", "宝飾品"),
]


@pytest.mark.parametrize("q,word", BAN_GOODS_BY_THE_PACKS_WORD)
def test_a_ban_answer_quotes_the_measure_naming_the_goods(pack, q, word):
    line = first_line(pack.ask(q))
    assert line.startswith("いいえ。") and word in line, line


# which department to call about a banned destination: the desk sentence for it
DESK_FOR_A_BAN = [
    "ロシア向けの禁止措置のことで経産省に電話したい。どこの部署にかければいい？",
    "ベラルーシ向けの輸出禁止について問い合わせたいのですが、担当の課はどこですか",
    "ロシアの制裁の件、経産省の何課に聞けばいいの？",
]


@pytest.mark.parametrize("q", DESK_FOR_A_BAN)
def test_the_desk_for_a_banned_destination_is_named(pack, q):
    a = pack.ask(q)
    assert a.grounded and "対ロシア審査班" in a.answer, a.answer[:300]


# goods already shipped that needed a licence: a violation, answered by whom to report it to
VIOLATION_FOUND = [
    "お世話になっております。去年タイに出荷した部品が、実は許可の要るものだったかもしれません。どうすればいいですか",
    "先週送ったセンサーが規制対象の製品だったと判明した。まず何をする？",
    "輸出済みの装置がリスト規制の貨物だったかもと社内で気づいた。どこに連絡すべき？",
]


@pytest.mark.parametrize("q", VIOLATION_FOUND)
def test_a_shipment_found_to_need_a_licence_is_reported_to_the_inspection_office(pack, q):
    a = pack.ask(q)
    assert "violation" in analyse(q).intents
    assert a.grounded and "安全保障貿易検査官室" in a.answer, a.answer[:300]


# a business mail's greeting is no topic word
@pytest.mark.parametrize("q,greeting", [
    ("お世話になっております。包括許可の更新はいつまでに申請すればよいでしょうか。", "世話"),
    ("いつもお世話になっています。該非判定書の保存期間を教えてください。よろしくお願いいたします。", "世話"),
    ("お疲れ様です。キャッチオールの事前相談の窓口はどこでしょうか。何卒よろしくお願い申し上げます。", "疲れ"),
])
def test_greetings_leave_the_topic(q, greeting):
    assert greeting not in analyse(q).topic


# 「…の一覧を教えて。あと…はいつ？」: a request followed by a joined question is two parts, each answered
REQUEST_THEN_QUESTION = [
    ("国連武器禁輸国の一覧を教えて。あとエリトリアが外れたのはいつ？", "2018年12月19日"),
    ("グループAの国を教えてください。それと、韓国はいつ戻ったの？", "2023年7月21日"),
    ("該非判定のやり方を知りたい。あと、費用ってかかる？", "費用"),
]


@pytest.mark.parametrize("q,second", REQUEST_THEN_QUESTION)
def test_a_request_then_a_joined_question_is_two_parts(pack, q, second):
    assert len(question_parts(q)) == 2, question_parts(q)
    tr = pack.explain(q)
    assert tr.route == "multi_part" and second in tr.answer.answer, tr.answer.answer[:300]


def test_a_told_situation_then_a_joined_remark_is_not_a_request():
    assert len(question_parts("うちは小さい会社です。あと社員は10人です。該非判定って必要？")) == 1

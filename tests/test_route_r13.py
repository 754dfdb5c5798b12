"""Round 13, helper route: the deal / product-check / ban / resident routes answer a CLAIM the question carries before their
checklist, from the cited sentence that settles it, instead of 「一概には言えません」 (own wordings, not eval items).

- an assertion that a rule does not apply (premise not_needed, worded as an assertion or asked to be confirmed) on a route whose
  first cited sentence says the rule may apply: いいえ (screening.refuted_claim); a plain ask still depends;
- a banned destination asked to export "as usual" (deal_fields.tsv as_usual): the ban answers, its exception follows;
- an exception told as not the case with 「…とかじゃなく」 (deal_fields.tsv denied): the ban answers, not the exception;
- a claim that every foreign national is a non-resident (deal_fields.tsv all_nonresident_claim): いいえ from the residence rule;
- the authority asked or claimed to classify for the exporter (deal_fields.tsv authority + classification_delegated): いいえ;
- an end user told 'confidential' (red_flags.tsv refused) with "can we just go ahead?": No (the withheld end user);
- a person working part-time for a foreign company (deal_fields.tsv tokutei1_told): the 特定類型① example answers No.
"""
from __future__ import annotations

import pytest

from anpo.screening import asks_as_usual, classification_delegated, exception_denied
from test_deal_r11 import _first


# ------------------------------------------------------------------ an asserted "no rule applies" refuted by the route's sentence

@pytest.mark.parametrize("q", [
    "うちの樹脂パッキン、該非判定で全部非該当だったから、ベトナムの商社にも許可なしで出荷できるってことでいいんだよね？",
    "マトリクス表でバルブって引いても出てこなかった。なら当社のバルブは規制対象外と判断して大丈夫ですよね？",
    "タイの農園に農業用ドローンを売ります。兵器とは無縁なので、輸出規制は関係ないって考えていいですよね？",
])
def test_an_asserted_no_rule_is_refuted_by_the_cited_may(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith("いいえ。") and "[" in first, (tr.route, first)


@pytest.mark.parametrize("q", [
    "タイ向けにセンサーを50万円分だけ出すけど、少額だから許可いらない？",
    "ドローンをタイの代理店に卸す話があるんだけど、規制品になり得る？",
])
def test_a_plain_ask_still_depends(pack, q):
    tr, first = _first(pack, q)
    assert not first.startswith("いいえ。"), (tr.route, first)


# ------------------------------------------------------------------ a banned destination asked "as usual"

@pytest.mark.parametrize("q", [
    "ロシアにある100%子会社に建設機械の交換部品を送りたい。自分の子会社なんだから普通に輸出して大丈夫？",
    "ロシアの完全子会社向けに油圧ショベルの部品、いつも通り出荷していいよね？",
    "Our wholly owned subsidiary in Russia needs construction machinery parts. Can we ship them as usual?",
])
def test_a_ban_asked_as_usual_is_the_ban_then_its_exception(pack, q):
    tr, first = _first(pack, q)
    ans = tr.answer.answer
    assert first.startswith(("いいえ。", "No.")) and "特例" not in first and "special" not in first.lower(), (tr.route, first)
    assert q.isascii() or "特例的に承認" in ans, ans[:400]


def test_as_usual_is_read_in_the_asked_sentence():
    assert asks_as_usual("自分の子会社なんだから普通に輸出して大丈夫？")
    assert not asks_as_usual("ロシアの100%子会社向けなら部品を出せますか？")


# ------------------------------------------------------------------ an exception denied with 「とかじゃなく」

@pytest.mark.parametrize("q", [
    "北朝鮮の会社に、人道目的とかじゃない普通の工具を送れる？",
    "北朝鮮向けで、人道支援とかではない一般の部品なんだけど、少額なら出せる？",
    "北朝鮮の取引先に、人道支援とかじゃない機械部品を少しだけ送っても大丈夫？",
])
def test_an_exception_denied_colloquially_leaves_the_ban(pack, q):
    assert exception_denied(q)
    tr, first = _first(pack, q)
    assert first.startswith("いいえ。") and "例外" not in first, (tr.route, first)


# ------------------------------------------------------------------ every foreign national a non-resident?

@pytest.mark.parametrize("q", [
    "外国籍の社員はみんな非居住者扱いだから、社内で設計図を見せるにも毎回許可が要るんだよね？中国出身のエンジニアがいるんだけど",
    "外国人の技術者は入社した時点で全員非居住者になるので、図面を見せるには許可が必要ってことでいいですか",
    "Every foreign engineer we hire is a non-resident, so showing them our technical drawings always needs a licence, right?",
])
def test_every_foreigner_a_nonresident_is_refuted(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith(("いいえ。", "No.")) and ("6か月" in tr.answer.answer or "6 months" in tr.answer.answer), (tr.route, first)


# ------------------------------------------------------------------ the authority classifies for us?

@pytest.mark.parametrize("q", [
    "うちの製品の該非、経産省に仕様書を出せば向こうで判定してくれるんだよね？",
    "判定って、役所に資料送っておけば決めてもらえるものなんですか？",
    "Can we send our drawings to METI and have them do the classification for us?",
])
def test_the_authority_does_not_classify_for_the_exporter(pack, q):
    assert classification_delegated(q)
    tr, first = _first(pack, q)
    assert first.startswith(("いいえ。", "No.")) and ("行わない" in first or "does not classify" in first), (tr.route, first)


def test_the_authority_named_without_delegation_is_no_claim():
    assert not classification_delegated("経産省の該非判定の相談窓口はどこ？")
    assert not classification_delegated("ビザの種類って役所が決めてくれるの？")      # no classification spoken of


# ------------------------------------------------------------------ the end user 'confidential'

@pytest.mark.parametrize("q", [
    "A trader in Jakarta wants our flow meters but says the end user is confidential. Can we just go ahead?",
    "Our distributor in Dubai keeps the end user confidential. The distributor is not sanctioned, so can we just ship them?",
    "インドの商社から計測器の注文。エンドユーザーは内緒だそうです。このまま出荷していい？",
])
def test_an_end_user_kept_confidential_is_withheld(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith(("いいえ。", "No.")), (tr.route, first)


# ------------------------------------------------------------------ part-time for a foreign company

@pytest.mark.parametrize("q", [
    "We plan to hire an engineer who works part-time for a Chinese company. Since he'll be a resident, can we share our controlled design data with him?",
    "Our new engineer is also working part-time at a foreign firm. Once he's a resident employee, can we show him controlled drawings?",
    "A resident employee of ours does part-time work... he is part-time with a Korean maker. Can we share controlled technology with him?",
])
def test_part_time_for_a_foreign_company_is_tokutei1(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith("No."), (tr.route, first)


# ------------------------------------------------------------------ catch-all asked by the destination's group

@pytest.mark.parametrize("q", [
    "台湾の取引先に温度センサーを出したい。台湾向けならキャッチオールの客観要件はかかってくるってこと？",
    "ベトナムの客先に非該当のポンプを出します。ベトナム向けでもキャッチオールは適用されますか",
    "We ship non-listed valves to Thailand. Does catch-all apply to shipments to Thailand?",
])
def test_catch_all_outside_group_a_applies(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith(("はい。", "Yes.")), (tr.route, first)


@pytest.mark.parametrize("q", [
    "ドイツの客先に非該当の樹脂部品を出します。ドイツ向けでもキャッチオールの客観要件はかかりますか",
    "フランスの取引先に非該当のセンサーを出します。フランス向けでも用途要件は必要ですか",
    "We ship non-listed parts to a customer in Germany. Do catch-all's objective requirements apply for Germany?",
])
def test_objective_requirements_for_group_a_do_not_apply(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith(("いいえ。", "No.")), (tr.route, first)


# ------------------------------------------------------------------ a "deal" with nothing to check

@pytest.mark.parametrize("q", [
    "Our customer asked us for a non-applicability certificate. Do we have to submit it to METI?",
    "A customer asked for a non-applicability certificate. Does the law prescribe a form for the certificate?",
    "A client asked us for a 非該当証明書. Do we need to file it with METI?",
])
def test_a_document_asked_for_is_no_deal(pack, q):
    tr, first = _first(pack, q)
    assert not tr.route.startswith("deal") and "certificate" in tr.answer.answer, (tr.route, first)


# ------------------------------------------------------------------ the end user withheld, the concern waved away

@pytest.mark.parametrize("q", [
    "A buyer in Jakarta refuses to say who the end user is. The valves are not listed, so we're fine to ship, right?",
    "Our distributor in Vietnam won't tell us the end use. It's a normal commercial deal, so it's fine to ship, right?",
    "エンドユーザーは教えてもらえない。それでも送っていいですか",
])
def test_withheld_and_waved_away_is_no(pack, q):
    tr, first = _first(pack, q)
    assert tr.route.startswith("deal") and first.startswith(("いいえ。", "No.")), (tr.route, first)


# ------------------------------------------------------------------ an addition to the list asked in English

@pytest.mark.parametrize("q", [
    "We make high-entropy alloy powder. Did Japan add that kind of powder to the control list this year?",
    "Did evaluation boards with an FPGA become controlled in February 2026?",
    "Our lab sells a powder of a high-entropy alloy. Has it become controlled this year?",
])
def test_an_addition_asked_in_english_is_yes_from_the_amendment(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith("Yes.") and "added" in first, (tr.route, first)


# ------------------------------------------------------------------ a goods noun that names no thing shipped

@pytest.mark.parametrize("q", [
    "Our new sales manager also sits on the board of a Chinese company. Can we show him controlled drawings without a licence?",
    "We're a small trading house. Can we just send our spec sheets to METI and have them classify our goods?",
    "A board member of ours also works for a Korean firm. Can we share our controlled technology with him freely?",
])
def test_no_goods_in_a_board_or_a_sheet(q):
    from anpo.tables import named_thing
    got = named_thing(q)
    assert "board" not in got and "sheet" not in got, got


def test_a_circuit_board_is_still_goods():
    from anpo.tables import named_thing
    assert "board" in named_thing("We make circuit boards. Are they on the control list?")


@pytest.mark.parametrize("q", [
    "Our new sales manager also sits on the board of a Chinese company outside our group. Is it OK to walk him through our controlled design data without applying for anything?",
    "An engineer of ours is a board member of a Korean firm. Can we share our controlled technology with him without a licence?",
    "Our director is also a director of a foreign company outside our group. Can we show him our controlled design data freely?",
])
def test_a_board_seat_at_a_foreign_company_is_tokutei1(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith("No.") and "specific category (1)" in first, (tr.route, first)


@pytest.mark.parametrize("q", [
    "Our Japanese engineer lives in Tokyo but also sits on the board of an unrelated Chinese company. Since he's a resident, deemed-export control can't apply to him, correct?",
    "Our engineer has lived in Japan for two years and also works part-time for a Chinese company. Deemed export doesn't apply to him since he's a resident, right?",
    "中国企業と兼業している社員がいます。日本に住んでる居住者だからみなし輸出は関係ないよね？",
])
def test_deemed_export_named_tells_the_technology(pack, q):
    tr, first = _first(pack, q)
    assert tr.route == "resident_technology" and first.startswith(("いいえ。", "No.")), (tr.route, first)

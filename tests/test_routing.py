"""Which answer route a question takes (anpo.pipeline): the product check answers only a question about the
goods' control status; a question that names goods but asks something else gets the normal answer
(anpo/data/route_yields.tsv, each row's questions asked here); a told deal with red flags gets the checklist
even without goods or a country named.  Each test fails when the behaviour it names is removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.textnorm import read_tsv

YIELDS = Path(__file__).resolve().parents[1] / "anpo" / "data" / "route_yields.tsv"
ROWS = [(r[0].strip(), [x.strip() for x in r[2].split(" | ") if x.strip()]) for r in read_tsv(YIELDS)]
NOT_FOUND = ("見当たりませんでした", "was not found among")


def test_every_yield_row_carries_three_questions():
    assert {r for r, _ in ROWS} == {"asked clause", "technology", "parts", "named by the pack"}
    for reason, examples in ROWS:
        assert len(examples) >= 3, reason


@pytest.mark.parametrize("reason,q", [(r, q) for r, ex in ROWS for q in ex])
def test_the_product_check_yields_to_what_is_asked(pack, reason, q):
    tr = pack.explain(q)
    assert tr.route.endswith(f"(product check yields: {reason})"), (tr.route, tr.answer.answer[:200])
    assert tr.answer.grounded
    if reason != "parts":
        assert not any(w in tr.answer.answer for w in NOT_FOUND), tr.answer.answer[:300]


# the goods' control status asked in the asked clause: the product check still answers
STILL_PRODUCT = [
    "去年ポンプの該非判定をしたんですが、今年の改正でリスト規制の対象になってたりしますか？",
    "うちのドローン、輸出するとき該非判定っているの？",
    "Is our vacuum pump on the control list?",
    "ボールベアリングって規制品？本当？",
    # the goods' status sought (deal_fields.tsv status_sought): how to find it is a product check too
    "ボールバルブの該非を調べたいけど、検索語は何で引けばいいですか",
    "インバーターが規制対象か確認したいんですが、マトリクス表ってどこで手に入りますか",
    "センサーの該非を知りたいんだけど、パラメータシートってどこでもらえる？",
    # a passage naming the goods inside a longer word is no passage about them (ネジ in マネジメント)
    "ネジって規制対象？",
]


@pytest.mark.parametrize("q", STILL_PRODUCT)
def test_a_control_status_question_keeps_the_product_check(pack, q):
    tr = pack.explain(q)
    assert tr.route == "product_check", (tr.route, tr.answer.answer[:200])


# a told deal with its end user or use refused, asking whether to go on or what to check: the checklist, even with no
# goods or country named (screening.refused_party_deal; deal_fields.tsv go_ahead_asked examples, and one asking what to check)
REFUSED_DEALS = [c for f, _, ex in __import__("anpo.screening", fromlist=["x"]).load_deal_fields() if f == "go_ahead_asked"
                 for c in ex] + ["A buyer we have never worked with refuses to tell us the end use. What should we check?"]


def test_the_go_ahead_row_carries_three_questions():
    assert len(REFUSED_DEALS) >= 4


@pytest.mark.parametrize("q", REFUSED_DEALS)
def test_a_refused_end_user_or_use_is_a_deal_without_goods_or_country(pack, q):
    tr = pack.explain(q)
    assert tr.route == "deal", (tr.route, tr.answer.answer[:200])
    text = tr.answer.answer
    assert ("取引を進める前に" in text and "不明" in text) or ("Before going ahead" in text and "not known" in text), text[:400]


# the same refusal told, but a rule asked (not whether to go on): the normal answer
@pytest.mark.parametrize("q", ["代理店がエンドユーザーを教えてくれない場合、明らかガイドラインではどう扱われるの？",
                               "用途を言わない客がいたら、キャッチオールの客観要件ってどうなる？"])
def test_a_refusal_told_with_a_rule_asked_is_no_deal(pack, q):
    assert pack.explain(q).route != "deal"

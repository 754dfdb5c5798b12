"""The question's head (round 14, helper scope): a word the pack never uses, standing as the frame of the duty asked of it
(data/frames.tsv head_frame, head_duty: 「Xで必要な届出」「Xとして申告」「X扱いになって手続き」), or things an English question asks
to pack into a bag (head_put_en, head_into_en), is what the question is about: another regime's topic.  Before, such a word
counted only by its share of the question's weight, and the deal checklist never refuses, so 「…米を台湾に輸出…。食糧法で必要な
届出や登録は？」 got 一般包括許可's 届出 and 「…家財一式を船で送る。別送品として税関に申告するには？」 the deal checklist
(anpo.scope.unknown_head; the pipeline refuses it on every route).

The wordings are the table's examples, written for it (none copied from an eval set); the in-scope questions below tell the
same frames around the pack's own words or with an export-control word asked beside, and must not be read as such a head.
"""

from __future__ import annotations

import pytest

from anpo import scope
from anpo.analysis import analyse

FRAMES = scope.frames()
HEADS = [q for name in ("head_frame", "head_duty", "head_put_en", "head_bag", "head_allowed_en") for q in FRAMES[name][1]]


def _head(pack, q: str) -> str:
    _, _, pl = pack._current()
    return scope.unknown_head(analyse(q, pl.tables), pl._pack_names)


def test_each_class_serves_three_questions():
    for name in ("head_frame", "head_duty", "head_put_en", "head_into_en", "head_told_en", "head_bag", "head_allowed_en"):
        assert len(FRAMES[name][1]) >= 3, name


@pytest.mark.parametrize("q", HEADS)
def test_an_unknown_head_is_refused_through_the_gate(pack, q):
    assert _head(pack, q), q
    tr = pack.explain(q)
    assert not tr.answer.grounded, tr.answer.answer
    assert tr.route.startswith("refused (unknown head"), tr.route


@pytest.mark.parametrize("q", list(FRAMES["head_into_en"][1]))
def test_things_the_pack_has_no_word_for_are_the_head(pack, q):
    assert _head(pack, q), q


@pytest.mark.parametrize("q", list(FRAMES["head_told_en"][1]) + [
    # the pack's own words in the frame, or an export-control word asked beside it: asked, not another regime
    "試作品としてドイツの展示会に持っていく予定。輸出許可の申請はいる？",
    "サンプルとして無償で送る場合も許可申請って必要？",
    "うちはバネ屋として初めて輸出するんだけど、該非判定の手続きってどうやるの？",
    "核関連の貨物を無許可で出しちゃったら、会社の罰金って最高いくら？",
    "EUの優等生の国だから許可なんて形だけでしょ？",
    "技術資料としてメールで送る場合の許可申請は？",
    "Can I pack a prototype controller in my suitcase for the trade fair in Singapore?",
    "Can I take sample sensors in my carry-on bag to Shanghai?",
    "試作品をスーツケースに入れて展示会に持っていくのも輸出？",
    "来週バンコクの展示会にうちの測定装置を出すけど、終わったら持ち帰るし輸出じゃないよね？",
    "再来月ジャカルタの見本市に検査装置を持っていく。許可はいる？",
    "社員がスーツケースに入れて飛行機で運ぶならどうなる？",
    "Are samples allowed in my hand luggage without a licence?",
])
def test_the_packs_own_head_is_no_other_regime(pack, q):
    assert not _head(pack, q), q

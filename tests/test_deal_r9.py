"""Deal answers (round 9): a question naming goods and a destination that asks about ANOTHER regime's permit or duty
(文化庁, REACH/SVHC, 厚労省, 農水省; an authority the pack never names, tied to a permit) is refused with that regime's
desk by the deal and product routes (screening.other_regime, data/other_regimes.tsv), while a real export-control deal
mentioning such a word (told as cleared, a banned destination, a red flag, an export-control word asked) is answered.
Each test fails when the behaviour it names is removed."""

from __future__ import annotations

import pytest

from anpo.analysis import analyse
from anpo.screening import load_other_regimes, other_regime
from anpo.slot_tables import LayerTables
from anpo.tables import build_tables
from conftest import ROOT
from retrieval.chunking import chunk_document
from retrieval.loaders import iter_knowledge_files, load_file
from retrieval.textnorm import normalize

CHUNKS = [c for p in iter_knowledge_files(ROOT / "knowledge") for c in chunk_document(load_file(p))]
PACK = build_tables(CHUNKS)
SLOTS = LayerTables(PACK)
PACK_TEXT = normalize("\n".join(c.text for c in CHUNKS))
REFUSED = ("お答えできません", "cannot answer")


def _known(word: str) -> bool:
    return word in PACK_TEXT


REGIME_EXAMPLES = [(ex, field) for _, field, _, exs in load_other_regimes().regimes for ex in exs]


def test_every_regime_row_has_three_own_wordings():
    for _, field, _, exs in load_other_regimes().regimes:
        assert len(exs) >= 3, field
    assert len(load_other_regimes().keep) >= 3


@pytest.mark.parametrize("q,field", REGIME_EXAMPLES)
def test_a_regime_row_names_the_regime_its_examples_ask_about(q, field):
    got = other_regime(analyse(q, SLOTS), _known)
    assert got is not None and got.field == field, (q, got)


@pytest.mark.parametrize("q", load_other_regimes().keep)
def test_a_real_deal_mentioning_a_regime_word_is_not_taken_for_it(q):
    assert other_regime(analyse(q, SLOTS), _known) is None, q


@pytest.mark.parametrize("q", [
    # goods and a destination told, another authority's permit or inspection asked: the deal route must refuse
    "盆栽をオランダに送りたいんですが、農水省の検査はいる？",
    "中古の医療機器をベトナムに売る。厚生労働省の許可は要る？",
    "欧州の客からSVHCの含有情報を出せって言われた。どうすればいい？",
    "アンティークの掛け軸をアメリカのオークションに出したい。重要文化財だと文化庁の許可がいるらしいけど、どう確かめる？",
    "EU向けの工業用塗料にREACHの高懸念物質が入ってるかもって。欧州の客への届出って何をすれば？",
])
def test_a_deal_asking_about_another_regime_is_refused(pack, q):
    tr = pack.explain(q)
    assert not tr.answer.grounded and any(r in tr.answer.answer for r in REFUSED), (tr.route, tr.answer.answer[:200])


@pytest.mark.parametrize("q", [
    # an authority by its suffix only (no regime row): refused when tied to a permit, the plain refusal
    "中古のバイクをマレーシアに出したい。国土交通省で何か手続きがある？",
    "中古のエアコンをフィリピンに出す。環境省の確認って要る？",
    "ウニをシンガポールに出すんだけど、水産庁の証明はどうする？",
])
def test_an_unknown_authoritys_permit_is_another_regime(q):
    got = other_regime(analyse(q, SLOTS), _known)
    assert got is not None and got.mark.endswith(("庁", "省")), (q, got)


@pytest.mark.parametrize("q", [
    "化審法の届出を済ませた溶剤をインドに出したい。経産省の許可はいる？",
    "ドイツの客が厚労省の承認を取ったポンプを買いたいって。該非判定はうちでやる？",
    "文化庁の助成で作った展示用の3Dプリンターを中国の大学に送る。用途は研究らしいけど、キャッチオールは大丈夫？",
])
def test_an_export_control_question_that_names_an_authority_is_answered(pack, q):
    assert other_regime(analyse(q, SLOTS), _known) is None, q
    assert pack.explain(q).answer.grounded, q

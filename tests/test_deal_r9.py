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


# ------------------------------------------------------------------ the asker's dismissal answered by the deal's red flag

MARK = __import__("re").compile(r"\[\d+\]")


@pytest.mark.parametrize("q", [
    "トルコの商社から急に注文が増えた。最終仕向地は教えてくれない。トルコは制裁対象じゃないし、考えすぎかな？",
    "カザフスタンの代理店から、うちのベアリングの注文が急に倍増しています。普通の商売だし、気にしなくて大丈夫ですよね？",
    "香港の商社から最近いきなり大量注文が来て、最終仕向地を言わないんです。香港は制裁対象じゃないし気にしすぎ？",
])
def test_a_diversion_sign_waved_away_is_no_from_the_diversion_sentence(pack, q):
    tr = pack.explain(q)
    first = tr.answer.answer.split("\n")[0]
    assert tr.route == "deal" and first.startswith("いいえ。") and "迂回輸出の注意信号" in first and MARK.search(first), first
    assert "一概には言えません" not in tr.answer.answer


@pytest.mark.parametrize("q", [
    "マレーシアの商社にバルブを出すんですが、誰が使うのか言わないんです。非該当だし、神経質になりすぎかな？",
    "インドの商社が検査装置を買いたいって。使い道ははぐらかされたけど、考えすぎですかね？",
    "The distributor in Malaysia won't name the end user of our valves. They're not listed, so can we just ship?",
])
def test_a_withheld_end_user_waved_away_is_no(pack, q):
    first = pack.ask(q).answer.split("\n")[0]
    assert first.startswith(("いいえ。", "No.")) and MARK.search(first), first
    assert ("分からない" in first or "unknown" in first), first


@pytest.mark.parametrize("q", [
    "ベトナムの工場に非該当のモーターを出します。親日国だし、キャッチオールとか気にしなくていいでしょ？",
    "フィリピンの販売店に非該当の制御盤を出します。仲のいい国だし、キャッチオールは気にしすぎかな？",
    "タイの工場に非該当のバルブを送ります。タイとは長い付き合いだし、キャッチオールとか気にしなくていいよね？",
])
def test_catch_all_waved_away_outside_group_a_is_no(pack, q):
    first = pack.ask(q).answer.split("\n")[0]
    assert first.startswith("いいえ。") and "グループA以外" in first and MARK.search(first), first


@pytest.mark.parametrize("q", [
    "ドイツの代理店に非該当のポンプを出します。キャッチオールとか気にしなくて大丈夫？",      # Group A: not this いいえ
    "UAEの商社にポンプを出す。用途は発電所の冷却と聞いている。気にしすぎかな？",          # no red flag told
    "カナダの客に非該当の計測器を出します。キャッチオールは気にしすぎですかね？",
])
def test_no_red_flag_or_group_a_gets_no_such_no(pack, q):
    first = pack.ask(q).answer.split("\n")[0]
    assert not first.startswith("いいえ。"), first


@pytest.mark.parametrize("q", [c for f, _, ex in __import__("anpo.screening", fromlist=["x"]).load_deal_fields()
                               if f == "dismissed" for c in ex])
def test_dismissed_examples(q):
    from anpo.screening import dismissed
    assert dismissed(q), q


# ------------------------------------------------------------------ a destination that names no one country, asked whether it matters

@pytest.mark.parametrize("q", [
    "「コンゴ」宛てでポンプの注文が来た。どっちのコンゴか確認する必要ある？",
    "コンゴの商社からモーターの引き合い。国名はコンゴとしか書いてないけど、どの国か気にしたほうがいい？",
    "注文書の宛先が「コンゴ」だけ。ポンプを送りたいけど、どっちの国か確認する必要ある？",
])
def test_an_ambiguous_destination_asked_whether_it_matters_is_yes(pack, q):
    first = pack.ask(q).answer.split("\n")[0]
    assert first.startswith("はい。") and "正式な国名" in first and MARK.search(first), first


@pytest.mark.parametrize("q", ["タイの代理店にポンプを出します。どこの国か気にする必要ある？",
                               "ベトナムの代理店にモーターを出します。どの国か気にしたほうがいい？",
                               "ドイツの客にバルブを送る。国名まで確認したほうがいい？"])
def test_one_country_told_gets_no_such_yes(pack, q):
    first = pack.ask(q).answer.split("\n")[0]
    assert "正式な国名" not in first, first

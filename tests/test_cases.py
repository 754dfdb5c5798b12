"""Classification, case-study and deal questions worded the way owners ask them (written for this
suite, not taken from the eval sets): the answer carries what was asked — the 項's field name
for 「どの分野？」「何項？」, the cited sentence for the asked aspect — over the real pack."""

from __future__ import annotations

import pytest

from anpo.analysis import analyse
from anpo.screening import goods_route, load_deal_fields
from anpo.slot_tables import LayerTables
from anpo.tables import build_tables
from conftest import ROOT
from retrieval.chunking import chunk_document
from retrieval.loaders import iter_knowledge_files, load_file

SLOTS = LayerTables(build_tables([c for p in iter_knowledge_files(ROOT / "knowledge")
                                  for c in chunk_document(load_file(p))]))


def _examples(field: str) -> list[str]:
    return list(next(ex for f, _, ex in load_deal_fields() if f == field))


# ------------------------------------------------------------------ which field / which 項

@pytest.mark.parametrize("q", _examples("law_name"))
def test_a_law_name_holding_an_export_word_sends_nothing(q):
    """「輸出令別表第1のどの分野？」 names the law, not a shipment: a product check, not a deal checklist."""
    assert goods_route(analyse(q, SLOTS)) == "product_check", q


@pytest.mark.parametrize("q,fields", [
    ("精密な三次元測定機 規制 何項", ("6項は材料加工", "2項は原子力")),
    ("炭素繊維はどの分野の項目ですか", ("2項は原子力", "5項は先端材料")),
    ("真空ポンプってどのカテゴリーの項目？", ("2項は原子力",)),
    ("CNCの旋盤って輸出令別表第1のどの分野に入るの？", ("6項は材料加工",)),
    ("シリコンの半導体基板は、輸出令別表第1上どの分野の項目に位置づけられていますか。", ("7項はエレクトロニクス",)),
    ("ドローンを海外に売りたい。何項に当たる？", ("4項はミサイル",)),
])
def test_a_which_item_question_gets_the_fields_name(pack, q, fields):
    """The product answer names each cited 項's field as the row writes it (never refused, never a
    deal checklist for a question that only asks where the goods sit in the list)."""
    tr = pack.explain(q)
    assert tr.route == "product_check", (q, tr.route)
    for f in fields:
        assert f in tr.answer.answer, (q, f, tr.answer.answer[:300])


# ------------------------------------------------------------------ used goods, added goods

@pytest.mark.parametrize("q", _examples("used_goods")[:3] + ["倒産した工場から買った古い工作機械、仕様書なし。フィリピンへ売るけど該非判定いる？"])
def test_used_goods_get_the_sentence_that_no_check_is_waived(pack, q):
    """「中古でも該非判定しないとダメ？」: the cited sentence that used goods are not exempt, and the one on
    measuring a used machine whose specifications are lost."""
    ans = pack.ask(q).answer
    assert "免除されることはない" in ans, (q, ans[:400])
    assert "精度測定" in ans, (q, ans[:400])


@pytest.mark.parametrize("q", ["新品のNC旋盤を台湾に送るけど何項？", "真空ポンプってどのカテゴリーの項目？"])
def test_goods_not_told_as_used_get_no_used_goods_sentence(pack, q):
    assert "免除されることはない" not in pack.ask(q).answer, q


@pytest.mark.parametrize("q,kouban", [
    ("FPGAを積んだボードがリスト規制に入ったのっていつから？何項？", "7の項(10の2)"),
    ("高エントロピー合金の粉、いつから規制対象になったの？項番は？", "5の項(20)"),
    ("取引先からFPGA搭載モジュールも規制に追加されたと聞いた。いつからどの項番？", "7の項(10の2)"),
])
def test_goods_added_to_the_list_get_the_amendment_and_its_date(pack, q, kouban):
    """Asked when (or whether) goods the amendment added are listed: the amendment's sentence with the 項番
    as it writes it, and the date it took effect (2026年2月14日), both cited."""
    ans = pack.ask(q).answer
    assert kouban in ans and "2026年2月14日に施行" in ans, (q, ans[:500])


@pytest.mark.parametrize("q", ["炭素繊維っていつから規制されてるの？何項？", "マシニングセンタの規制っていつから？何項？"])
def test_goods_not_added_get_no_amendment_sentence(pack, q):
    """The amendment's sentence names other goods: it is no answer for these."""
    assert "追加された貨物" not in pack.ask(q).answer, q


def test_an_adjectives_kana_is_no_head_of_the_things_name():
    from anpo.tables import named_thing
    assert named_thing("倒産した工場から買った古い工作機械、仕様書なし。フィリピンへ売るけど該非判定いる？") == "工作機械"
    assert named_thing("安いポンプを輸出したい") == "ポンプ"
    assert named_thing("うちのろ過装置って規制対象？") == "ろ過装置"      # a name's own kana head stays


# ------------------------------------------------------------------ people from abroad taught in Japan

@pytest.mark.parametrize("q", _examples("hosting"))
def test_people_from_abroad_taught_in_japan_get_the_technology_answer(pack, q):
    """A visit told as a story (研修生・受け入れ・呼んで・来日 + teaching): the cited sentences that teaching
    trainees from abroad is 技術の提供 and that giving technology to a non-resident in Japan is みなし輸出 —
    not the NACCS 申請者届出 that 「届け出」 would otherwise find, nor a goods checklist."""
    tr = pack.explain(q)
    assert tr.route == "hosting", (q, tr.route)
    assert "研修生" in tr.answer.answer and "技術の提供" in tr.answer.answer, q
    assert "みなし輸出" in tr.answer.answer and "申請者届出" not in tr.answer.answer, q


@pytest.mark.parametrize("q", ["中国の取引先の技術者が来日するので工場を案内する。何か確認いる？",
                               "ベトナムからの研修生の受け入れ人数に上限はある？",
                               "留学生に技術を教えてもいい？"])
def test_a_visit_without_teaching_or_from_nowhere_is_no_hosting_answer(pack, q):
    """Twins: no teaching told, or nobody received from abroad: the other answers stand."""
    assert pack.explain(q).route != "hosting", q


# ------------------------------------------------------------------ case studies (アドバイザー派遣の事例)

from anpo.cases import load_case_cues  # noqa: E402


def _cue_examples(prefix: str) -> list[tuple[str, str]]:
    return [(c.label, q) for c in load_case_cues() if c.label.startswith(prefix) for q in c.examples]


@pytest.mark.parametrize("label,q", _cue_examples("situation:"))
def test_a_told_situation_finds_its_case(pack, label, q):
    """「担当が辞めて」 → the aircraft-parts case, 「包括許可をとれた会社」 → the semiconductor one: the case
    whose situation is told is the one quoted, first with its overview."""
    tr = pack.explain(q)
    assert tr.route == "case", (q, tr.route)
    assert {c.doc_id for c in tr.answer.citations} == {label.split(":", 1)[1]}, (q, tr.answer.answer[:300])


@pytest.mark.parametrize("label,q", _cue_examples("aspect_") + _cue_examples("case_asked"))
def test_the_asked_part_of_a_case_is_quoted(pack, label, q):
    """支援前は何に困ってた？ → the case's 支援前の課題; 何をしてもらった？ → 支援内容; どうなった？ → 支援後の状況;
    a case asked for without a part → before, support and after."""
    want = {"aspect_before": "支援前の課題", "aspect_support": "支援内容", "aspect_after": "支援後の状況",
            "case_asked": "支援内容"}[label]
    tr = pack.explain(q)
    assert tr.route == "case", (q, tr.route)
    assert want in {c.locator for c in tr.answer.citations}, (q, [c.locator for c in tr.answer.citations])


@pytest.mark.parametrize("q,sections", [
    ("自動車部品のA社って支援前は何に困ってたの？", {"会社の概要", "支援前の課題"}),
    ("D社の支援内容を簡単に教えて", {"会社の概要", "支援内容"}),
])
def test_only_the_asked_part_is_quoted(pack, q, sections):
    assert {c.locator for c in pack.ask(q).citations} == sections, q


@pytest.mark.parametrize("q", ["展示会でサンプルを出したあとで、実は該当だったとわかった会社の話があったよね？",
                               "A社から工作機械の注文が来た。許可はいりますか？",
                               "特別一般包括許可の取り方を教えて",
                               "担当者が辞めたら、CPの届出はどうなる？"])
def test_questions_that_ask_no_case_are_no_case_answer(pack, q):
    """Twins: a case's word without asking for a case (or a company letter that is a customer) stays with the
    other answers."""
    assert pack.explain(q).route != "case", q


@pytest.mark.parametrize("q,led", [
    ("アドバイザーの支援で特別一般包括許可を取得できた会社はありますか？", True),
    ("うちも担当者が辞めてしまって困ってる。似たような会社の事例ってある？", True),
    ("窓口が一人で回してる会社の事例はある？", True),
    ("D社の支援内容を簡単に教えて", False),
    ("自動車部品のA社って支援前は何に困ってたの？", False),
])
def test_asked_whether_such_a_case_exists_the_cited_case_says_yes(pack, q, led):
    first = pack.ask(q).answer.splitlines()[0]
    assert first.startswith("はい。") == led, first


# ------------------------------------------------------------------ goods to Group A asked as if exempt

@pytest.mark.parametrize("q", ["プラスチックを混ぜるミキサーを韓国の工場に出すけど、韓国ってホワイト国だし規制とか関係ないよね",
                               "アメリカ向けならCNCの工作機械でも許可いらないでしょ？",
                               "ドイツに暗号チップ付きの基板送るけど、グループAだから規制は関係ないよね",
                               "韓国ってグループAだからカーボンの板を出すのに許可なんていらないよね？"])
def test_goods_to_group_a_asked_as_exempt_get_that_list_control_does_not_change(pack, q):
    """The cited sentence that list control does not change with the destination (what Group A relaxes is
    catch-all), not only a Korea or inform-notice sentence."""
    assert "仕向地によって変わりません" in pack.ask(q).answer, q


@pytest.mark.parametrize("q", ["韓国向けにカーボンの板を出したい。何を確認すればいい？",
                               "中国向けの真空ポンプ、許可いらないよね？"])
def test_goods_not_to_group_a_or_not_asked_as_exempt_get_no_group_a_line(pack, q):
    assert "仕向地によって変わりません" not in pack.ask(q).answer, q


# ------------------------------------------------------------------ goods as the setting of another question

@pytest.mark.parametrize("q", ["What insurance do we need for shipping machine tools to Thailand?",
                               "Which insurance covers carbon fibre shipments to Vietnam?",
                               "What insurance is needed when we export CNC lathes to Mexico?"])
def test_goods_named_only_as_the_setting_of_an_uncovered_question_are_refused(pack, q):
    """Insurance is no export-control matter: a list-control row about the goods is no answer to it."""
    tr = pack.explain(q)
    assert not tr.answer.grounded, (q, tr.route, tr.answer.answer[:200])


@pytest.mark.parametrize("q", ["What item number is carbon fibre under?", "Is carbon fiber controlled?"])
def test_goods_questions_about_the_goods_stay_answered(pack, q):
    assert pack.ask(q).grounded, q


@pytest.mark.parametrize("q,lead", [(q, "はい。" if "本当" in q or "の？" in q else None) for q in _examples("change_asked")[:3]])
def test_a_change_asked_about_added_goods_is_answered_by_the_amendment_first(pack, q, lead):
    """「FPGAのボード、規制が変わったって本当？」「施行はいつだったっけ」: the amendment's sentence that names the goods
    and its date open the answer (「はい。」 only for the yes/no wording), not a bare table row."""
    ans = pack.ask(q).answer
    first = ans.splitlines()[0]
    assert "追加された貨物" in first and "2026年2月14日に施行" in ans, (q, ans[:300])
    assert first.startswith("はい。") == (lead is not None), first

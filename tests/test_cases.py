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

"""The shipped knowledge pack: every document loads, carries its source and dates, and
the structured tables hold what the product promises (項番 1–15, the criteria, cases)."""

import json
import re

import pytest

from conftest import ROOT
from retrieval.loaders import iter_knowledge_files, load_file

PACK = ROOT / "knowledge"
DOCS = [load_file(p) for p in iter_knowledge_files(PACK)]
ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def test_pack_loads_with_unique_ids():
    ids = [d.meta.doc_id for d in DOCS]
    assert len(ids) == len(set(ids)) and len(ids) >= 15


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.meta.doc_id)
def test_every_document_has_source_and_dates(doc):
    m = doc.meta
    assert m.title and m.issuer, m.path
    assert m.url and m.url.startswith("http"), m.path
    assert m.effective_date or m.published or m.as_of, m.path
    for d in (m.effective_date, m.published, m.as_of):
        assert d is None or ISO.match(d), (m.path, d)
    for s in doc.sections:
        assert s.text.strip() and s.locator.strip()
        assert s.effective_date is None or ISO.match(s.effective_date), (m.path, s.locator, s.effective_date)
        assert "<!--" not in s.text


def _doc(doc_id):
    return next(d for d in DOCS if d.meta.doc_id == doc_id)


def test_list_control_table_covers_items_1_to_15():
    rows = [dict(s.fields) for s in _doc("list-control-2026").sections]
    koubans = {r["kouban"] for r in rows}
    for k in [str(i) for i in range(1, 16)]:
        assert k in koubans, k
    assert all(r.get("effective_date") for r in rows)
    assert any("炭素繊維" in (r.get("examples", "") + r.get("item_name", "")) for r in rows)


def test_compliance_criteria_and_cases_are_separate_records():
    rows = [dict(s.fields) for s in _doc("compliance-criteria").sections]
    assert len(rows) >= 12
    for case in ("case-a-auto-parts", "case-b-aircraft-parts", "case-c-semiconductor-parts", "case-d-machine-tool-trader"):
        assert _doc(case).meta.kind == "case"


def test_destination_table_groups_and_rule_row():
    rows = [dict(s.fields) for s in _doc("destination-groups").sections]
    by_list = {}
    for r in rows:
        by_list.setdefault(r["listing"], []).append(r)
    assert len(by_list["別表第3"]) == 27 and {r["group"] for r in by_list["別表第3"]} == {"A"}
    assert len(by_list["別表第3の2"]) == 10 and {r["group"] for r in by_list["別表第3の2"]} == {"D"}
    assert {r["country"] for r in by_list["別表第4"]} == {"イラン", "イラク", "北朝鮮"}
    assert {r["group"] for r in by_list["別表第4"]} == {"D"}
    rule = by_list["rule"]
    assert len(rule) == 1 and rule[0]["group"] == "C" and rule[0]["scope"] == "rule"
    assert all(r["iso"] for r in rows if r["scope"] == "country")
    assert "コンゴ共和国" not in {r["country"] for r in rows}      # only the DRC is under an arms embargo


def test_sanctions_state_current_bans_with_dates():
    doc = _doc("sanctions")
    text = "\n".join(s.text for s in doc.sections)
    assert "北朝鮮を仕向地とする全ての貨物の輸出は、2009年6月18日から禁止" in text
    assert "外為法第48条第3項" in text and "2022年3月18日" in text and "迂回" in text
    assert "人道" in text                                          # the published exceptions
    assert all(len(s.text) <= 600 for s in doc.sections)


def test_2022_slide_is_labelled_as_history():
    slide8 = [s for s in _doc("meti-trends").sections if s.locator.startswith("スライド8")]
    assert slide8 and all("2022年時点" in s.locator for s in slide8)
    for s in slide8:
        assert all(line.startswith("2022年") for line in s.text.splitlines() if line.strip()
                   and not line.startswith("2022年以降")), s.locator

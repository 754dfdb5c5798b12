"""anpo.screening: the 取引審査 checklist (six cited steps) to the standard of the 明らかガイドライン
and the catch-all rules; red flags from a declarative table whose examples run here."""

import csv
import io
from datetime import datetime

import pytest

from conftest import ROOT
from anpo.errors import BadInputError
from anpo.screening import (CHECK, FLAG, INFO, UNKNOWN, Deal, find_red_flags, load_red_flags, red_flags, screen,
                            screen_with, to_csv, to_markdown)
from anpo.tables import build_tables
from retrieval.chunking import chunk_document
from retrieval.loaders import iter_knowledge_files, load_file

NOW = datetime(2026, 11, 23, 9, 30)
PACK = build_tables([c for p in iter_knowledge_files(ROOT / "knowledge") for c in chunk_document(load_file(p))])


def no_retrieval(query, k):
    raise AssertionError(f"the shipped pack names every source; nothing should be retrieved ({query})")


def run(*fields, **kw):
    return screen(Deal(*fields), PACK, kw.get("retrieve", no_retrieval), now=NOW)


# ------------------------------------------------------------------ the six steps on the shipped pack

def test_steps_in_order_each_cited():
    r = run("マシニングセンタ", "ベトナム", "Hanoi Parts Co.", "自動車部品の加工")
    assert [c.key for c in r.checks] == ["list", "destination", "end_user", "use", "catch_all", "ful", "next"]
    assert [c.step for c in r.checks] == [1, 2, 3, 3, 4, 5, 6]
    assert all(c.citations for c in r.checks if c.key != "next" or c.status == FLAG)
    ns = [c.n for c in r.citations]
    assert ns == list(range(1, len(ns) + 1))
    texts = {c.chunk_id: c.text for c in PACK.by_id.values()}
    assert all(texts[c.chunk_id] == c.text for c in r.citations)


def test_unknown_end_user_is_a_red_flag_not_a_company_name():
    for who in ("不明", "教えてくれない", "相手が開示を拒否", "Unknown"):
        r = run("ポンプ", "中国", who, "工場の冷却")
        assert r.check("end_user").status == FLAG, who
        ful = r.check("ful")
        assert ful.status == FLAG and "照合できません" in ful.detail and f"「{who}」" not in ful.detail
        assert r.check("catch_all").status == FLAG
        assert any(c.doc_id == "catch-all" for c in r.check("end_user").citations)


def test_empty_end_user_and_use_are_red_flags():
    r = run("ポンプ", "中国")
    assert r.check("end_user").status == FLAG and r.check("use").status == FLAG
    assert r.check("catch_all").status == FLAG and "見つかりません" not in r.check("catch_all").detail


def test_unknown_use_is_flagged_and_catch_all_does_not_say_nothing_found():
    r = run("ポンプ", "ベトナム", "Hanoi Pump JSC", "詳細不明")
    assert r.check("use").status == FLAG and "用途が不明" in r.check("use").detail
    ca = r.check("catch_all")
    assert ca.status == FLAG and "見つかりません" not in ca.detail


def test_unknown_resale_is_flagged():
    r = run("ポンプ", "タイ", "Siam Trading", "代理店が再販", "不明")
    assert r.check("resale").status == FLAG and "再販先が不明" in r.check("resale").detail


def test_gunte_and_kekkaku_are_not_flags():
    assert red_flags(Deal("軍手", "タイ", "Siam Hospital", "結核の検査")) == []
    r = run("軍手", "タイ", "Siam Hospital", "結核の検査")
    assert r.check("catch_all").status != FLAG and "見つかりません" in r.check("catch_all").detail
    assert r.flags == ()


def test_military_use_flags_use_and_catch_all():
    r = run("ポンプ", "ベトナム", "X社", "軍の研究所で使う")
    assert r.check("use").status == FLAG
    ca = r.check("catch_all")
    assert ca.status == FLAG and "軍" in ca.detail and ca.ask.startswith("経済産業省")


@pytest.mark.parametrize("name,iso,group", [("中国", "CN", "C"), ("ベトナム", "VN", "C"), ("UAE", "AE", "C"),
                                            ("香港", "HK", "C"), ("台湾", "TW", "C")])
def test_destinations_in_their_groups(name, iso, group):
    r = run("ポンプ", name, "X社", "工場の冷却")
    d = r.check("destination")
    assert r.country.iso == iso and r.country.group == group and r.country.by_rule
    assert d.status == CHECK and "グループC" in d.detail and "不明" not in d.detail
    assert d.citations[0].doc_id == "destination-groups" and "グループC" in d.citations[0].text
    third = name in ("中国", "UAE", "香港")          # named among the third-country entities banned for evasion
    assert ("迂回" in r.check("ful").detail) == third
    assert any(c.doc_id == "sanctions" for c in r.check("ful").citations) == third


def test_group_a_d_ambiguous_and_sanctioned():
    de = run("ポンプ", "Germany", "Muster GmbH", "工場の冷却")
    assert de.check("destination").status == INFO and "グループA" in de.check("destination").detail
    assert de.check("catch_all").status == INFO
    iq = run("ポンプ", "イラク", "X", "水処理").check("destination")
    assert iq.status == FLAG and "国連武器禁輸" in iq.detail and "懸念国" in iq.detail
    assert {c.locator for c in iq.citations} >= {"輸出令別表第3の2 イラク", "輸出令別表第4 イラク"}
    congo = run("ポンプ", "コンゴ", "X", "水処理").check("destination")
    assert congo.status == CHECK and "コンゴ民主共和国" in congo.detail and "コンゴ共和国" in congo.detail
    ru = run("ポンプ", "ロシア", "X", "水処理").check("destination")
    assert ru.status == FLAG and "輸出禁止" in ru.detail and "対ロシア" in ru.ask
    assert any(c.doc_id == "sanctions" for c in ru.citations)
    assert run("ポンプ", "火星", "X", "水処理").check("destination").status == UNKNOWN
    assert run("ポンプ", "中国（上海）", "X", "水処理").country.iso == "CN"
    both = run("ポンプ", "タイ又はベトナム", "X", "水処理")
    assert both.country is None and both.check("destination").status == CHECK


def test_list_step_uses_the_matcher_strengths():
    r = run("精密シャフト（工作機械向け）", "中国", "X", "工作機械の組立")
    lst = r.check("list")
    assert lst.status == CHECK and "部分品" in lst.detail          # a weak lead is named as a part, not offered
    r = run("CFRPのパイプ", "中国", "X", "釣り竿")
    assert r.check("list").status == FLAG and "5項(18)" in r.check("list").detail


def test_next_step_names_each_action_and_whom_to_ask():
    r = run("マシニングセンタ", "中国", "不明", "")
    nxt = r.check("next")
    for c in r.checks:
        if c.key != "next" and c.status in (FLAG, CHECK) and c.action:
            assert c.action in nxt.detail and c.ask in nxt.detail
    assert "安全保障貿易審査課" in nxt.detail and nxt.citations


# ------------------------------------------------------------------ the red-flag table

@pytest.mark.parametrize("rule", load_red_flags(), ids=lambda r: r.id)
def test_red_flag_examples(rule):
    assert len(rule.hits) >= 3 and rule.misses, rule.id
    for field, text in rule.hits:
        deal = Deal(**{"product": "ポンプ", "destination": "タイ", field: text})
        assert any(f.rule.id == rule.id and f.field == field for f in find_red_flags(deal, [rule])), (field, text)
    for field, text in rule.misses:
        deal = Deal(**{"product": "ポンプ", "destination": "タイ", field: text})
        assert not find_red_flags(deal, [rule]), (field, text)
    assert PACK.by_id and any(c.doc_id == rule.cite.split("|")[0] and rule.cite.split("|")[1] in c.locator
                              for c in PACK.by_id.values()), rule.cite


def test_red_flag_words():
    assert red_flags(Deal("ポンプ", "A国", "国防省", "ミサイル部品の試験")) == ["国防", "ミサイル"]
    assert red_flags(Deal("pump", "X", "army", "Military use, resale")) == ["army", "military", "resale"]
    assert red_flags(Deal("pump", "X", "Harmony Ltd", "weapons testing")) == ["weapon"]
    assert red_flags(Deal("ポンプ", "A国", "商社", "用途不明")) == ["不明"]
    assert red_flags(Deal("ポンプ", "A国", "商社", "工場の冷却")) == []


# ------------------------------------------------------------------ the fixture pack and records

def test_with_an_assistant_and_no_destination_table(assistant):
    r = screen_with(assistant, Deal("炭素繊維のプリプレグ", "イラン", "", "軍の研究所へ再販"))
    assert r.check("list").status == FLAG and "5項(18)" in r.check("list").detail
    assert r.check("list").citations[0].locator == "リスト規制一覧 5項(18)"
    assert r.check("list").citations[0].highlight == ((0, len(r.check("list").citations[0].text)),)
    assert r.check("destination").status == UNKNOWN        # the fixture pack has no destination table
    assert r.check("end_user").status == FLAG
    assert r.check("catch_all").status == FLAG and "軍" in r.check("catch_all").detail
    text_by_id = {c.chunk_id: c.text for c in assistant.ensure_index().chunks}
    assert all(text_by_id[c.chunk_id] == c.text for c in r.citations)


def test_product_and_destination_required():
    with pytest.raises(BadInputError):
        run("  ", "ドイツ")
    with pytest.raises(BadInputError):
        run("集積回路", "")


def test_records():
    r = run("数値制御工作機械", "イラン", "", "")
    md = to_markdown(r)
    assert md.startswith("# 取引審査チェック記録") and "2026-11-23T09:30:00" in md
    assert "[要注意] 1 リスト規制" in md and "6項(2)" in md and "経済産業省にご確認ください" in md
    assert "（未入力）" in md and "次にすること" in md
    rows = list(csv.DictReader(io.StringIO(to_csv(r))))
    assert len(rows) == len(r.checks) and rows[0]["status"] == "要注意" and rows[0]["product"] == "数値制御工作機械"
    assert rows[0]["ask"] and rows[0]["action"]

"""anpo.screening: the 取引審査 checklist as pure functions over chunks and a retriever."""

import csv
import io
from datetime import datetime

import pytest

from anpo.errors import BadInputError
from anpo.screening import (CHECK, FLAG, INFO, UNKNOWN, Deal, find_destination, destination_rows, red_flags,
                            screen, screen_with, to_csv, to_markdown)
from retrieval.types import Chunk

NOW = datetime(2026, 11, 23, 9, 30)


def dest_chunk(i, country, group, label, basis):
    fields = (("country", country), ("group", group), ("group_label", label), ("legal_basis", basis))
    return Chunk(f"destination-groups#{i:04d}", "destination-groups", "仕向地区分の一覧", f"{basis} {country}",
                 f"{country}は{label}（{basis}）。", "", "", fields=fields, confirmed=False)


DEST = [dest_chunk(1, "ドイツ", "A", "グループA（旧ホワイト国）", "輸出令別表第3"),
        dest_chunk(2, "イラン", "D", "懸念国（グループD）", "輸出令別表第4"),
        dest_chunk(3, "イラク", "武器禁輸", "国連武器禁輸国・地域", "輸出令別表第3の2"),
        dest_chunk(4, "イラク", "D", "懸念国（グループD）", "輸出令別表第4")]


def test_flags_list_goods_unknown_destination_and_red_flags(assistant):
    r = screen_with(assistant, Deal("炭素繊維のプリプレグ", "イラン", "", "軍の研究所へ再販"))
    assert r.check("list").status == FLAG and "5項(18)" in r.check("list").detail
    assert r.check("list").citations[0].locator == "リスト規制一覧 5項(18)"
    assert r.check("list").citations[0].highlight == ((0, len(r.check("list").citations[0].text)),)
    assert r.check("destination").status == UNKNOWN        # the fixture pack has no destination table
    assert r.check("end_user").status == FLAG               # end user not known
    assert r.check("catch_all").status == FLAG and "軍" in r.check("catch_all").detail
    ns = [c.n for chk in r.checks for c in chk.citations]
    assert ns == list(range(1, len(ns) + 1))                # numbered across the record
    text_by_id = {c.chunk_id: c.text for c in assistant.ensure_index().chunks}
    assert all(text_by_id[c.chunk_id] == c.text for chk in r.checks for c in chk.citations)


def test_quiet_deal_has_no_red_flags(assistant):
    r = screen_with(assistant, Deal("事務用の椅子", "ドイツ", "Muster GmbH", "事務所で使用"))
    assert r.check("list").status == CHECK
    assert r.check("end_user").status == CHECK and "Muster GmbH" in r.check("end_user").detail
    assert r.check("use").status == INFO and r.check("catch_all").status == INFO
    assert r.flags == ()


def test_destination_groups_from_the_table(assistant):
    chunks = list(assistant.ensure_index().chunks) + DEST
    retrieve = assistant.retriever().retrieve
    de = screen(Deal("集積回路", "Germany", "X", "民生"), chunks, retrieve, now=NOW).check("destination")
    assert de.status == INFO and "グループA" in de.detail and de.citations[0].doc_id == "destination-groups"
    iq = screen(Deal("集積回路", "イラク", "X", "民生"), chunks, retrieve, now=NOW).check("destination")
    assert iq.status == FLAG and "国連武器禁輸" in iq.detail and "懸念国" in iq.detail
    other = screen(Deal("集積回路", "ブラジル", "X", "民生"), chunks, retrieve, now=NOW).check("destination")
    assert other.status == UNKNOWN and "グループB・C" in other.detail


def test_find_destination_matching():
    rows = destination_rows(DEST)
    assert [r.country for r in find_destination(rows, "ｲﾗﾝ")] == ["イラン"]     # NFKC: half-width kana
    assert [r.group for r in find_destination(rows, "イラク")] == ["武器禁輸", "D"]
    assert find_destination(rows, "") == []


def test_red_flag_words():
    assert red_flags(Deal("ポンプ", "A国", "国防省", "ミサイル部品の試験")) == ["ミサイル"]
    assert red_flags(Deal("pump", "X", "army", "Military use, resale")) == ["military", "resale"]
    assert red_flags(Deal("ポンプ", "A国", "商社", "用途不明")) == ["用途不明"]
    assert red_flags(Deal("ポンプ", "A国", "商社", "工場の冷却")) == []


def test_product_and_destination_required(assistant):
    with pytest.raises(BadInputError):
        screen_with(assistant, Deal("  ", "ドイツ"))
    with pytest.raises(BadInputError):
        screen_with(assistant, Deal("集積回路", ""))


def test_records(assistant):
    r = screen(Deal("数値制御工作機械", "イラン", "", ""), assistant.ensure_index().chunks,
               assistant.retriever().retrieve, now=NOW)
    md = to_markdown(r)
    assert md.startswith("# 取引審査チェック記録") and "2026-11-23T09:30:00" in md
    assert "[要注意] リスト規制" in md and "6項(2)" in md and "経済産業省にご確認ください" in md
    assert "（未入力）" in md
    rows = list(csv.DictReader(io.StringIO(to_csv(r))))
    assert len(rows) == len(r.checks) and rows[0]["status"] == "要注意" and rows[0]["product"] == "数値制御工作機械"

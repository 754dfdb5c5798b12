"""anpo.tables: one reader for the pack's tables — product matcher (with the everyday-name
lexicon, each row serving its example questions), country resolver (every country in
countries.tsv resolves to a group with a citation), criteria rows, citation builder."""

from pathlib import Path

import pytest

from conftest import ROOT
from anpo.tables import (OFFER, Citer, build_tables, citation, load_countries, load_lexicon, tables_for)
from retrieval.chunking import chunk_document
from retrieval.loaders import iter_knowledge_files, load_file
from retrieval.textnorm import normalize

CHUNKS = [c for p in iter_knowledge_files(ROOT / "knowledge") for c in chunk_document(load_file(p))]
T = build_tables(CHUNKS)


def labels(text, **kw):
    return [m.row.label.split()[0] for m in T.products.match(text, **kw)]


# ------------------------------------------------------------------ products

@pytest.mark.parametrize("entry", load_lexicon(), ids=lambda e: e.term)
def test_each_lexicon_row_serves_three_questions(entry):
    """A lexicon row earns its place: ≥ 3 differently worded questions, each matched to a row
    that uses the target term *through this entry* (the question does not contain the target)."""
    assert len(set(entry.examples)) >= 3, entry.term
    target = normalize(entry.target)
    assert any(target == t for r in T.products.rows for t in _terms(r)), f"{entry.target} is no term of the table"
    for q in entry.examples:
        assert target not in normalize(q), q
        hits = [m for m in T.products.match(q) if m.term == target]
        assert hits and all(m.offered for m in hits), q
        # the why names the everyday word as the question writes it (「NC旋盤」, not the search form 「nc旋盤」)
        assert any(f"「{normalize(entry.term)}」" in normalize(m.why) for m in hits), (q, [m.why for m in hits])


@pytest.mark.parametrize("entry", [e for e in load_lexicon() if e.not_in], ids=lambda e: e.term)
def test_lexicon_not_in_words_are_no_match(entry):
    for word in entry.not_in:
        assert not any(f"「{entry.term}」" in m.why for m in T.products.match(f"{word}に取り組む会社です", min_strength=0))


def _terms(row):
    from anpo.tables import _row_terms
    return [t for t, _, _ in _row_terms(row)]


def test_lexicon_rows_fail_without_the_lexicon():
    from anpo.tables import ProductMatcher
    bare = ProductMatcher(T.list_rows, lexicon=())
    assert bare.match("カーボンパイプを台湾に送りたい") == []
    assert [m.row.label.split()[0] for m in T.products.match("カーボンパイプを台湾に送りたい")] == ["2項(17)", "5項(18)"]


def test_table_words_match_directly_with_strength():
    assert labels("炭素繊維を使ったプリプレグ")[:2] == ["5項(18)", "2項(17)"]
    assert labels("ドローン") == ["4項(1の2)", "13項(4)"]
    top = T.products.match("数値制御工作機械")[0]
    assert top.row.label.startswith("6項(2)") and top.strength == 1.0 and "数値制御工作機械" in top.why


def test_weak_overlaps_are_not_offered():
    assert labels("精密シャフト") == []                       # a shaft is not a 歯車製造用工作機械
    assert labels("事務用の椅子") == []
    weak = T.products.match("精密シャフト（工作機械向け）", min_strength=0)
    assert weak and all(not m.offered and m.strength < OFFER for m in weak)
    assert labels("精密シャフト（工作機械向け）") == []
    assert "9項(11)" not in labels("三次元測定機")               # "…設計・製造・測定装置" lists kinds, not products


def test_latin_terms_are_whole_words():
    assert labels("CNC旋盤") and labels("cnc lathe")
    assert labels("CNCX-200 controller") == []
    assert labels("We ship drone kits abroad")[0] == "13項(4)"


def test_explorer_search_uses_the_lexicon():
    found = [r.label.split()[0] for r in T.products.search("カーボン")]
    assert found == ["2項(17)", "5項(18)"]                  # the start of カーボンパイプ etc.
    assert labels("カーボンニュートラル") == []              # the matcher stays precise
    assert [r.label.split()[0] for r in T.products.search("マシニングセンタ")] == ["2項(12)", "6項(2)"]
    assert len(T.products.search("")) == len(T.list_rows)


def test_canonical_terms_for_query_expansion():
    assert T.products.canonical_terms("カーボンシャフトとマシニングセンタ") == ["炭素繊維", "数値制御工作機械"]


# ------------------------------------------------------------------ countries

COUNTRIES = load_countries()


def test_country_file_lists_every_country():
    isos = [c.iso for c in COUNTRIES]
    assert len(isos) == len(set(isos)) >= 195
    assert "JP" not in isos
    for iso in ("CN", "VN", "TW", "HK", "MO", "AE", "CG", "CD", "KP", "KR", "PS", "XK"):
        assert iso in isos


@pytest.mark.parametrize("country", COUNTRIES, ids=lambda c: c.iso)
def test_every_country_resolves_to_a_group_with_a_citation(country):
    for name in (country.ja, country.en):
        info = T.countries.resolve(name)
        assert info is not None and info.iso == country.iso, name
        assert info.group in {"A", "B", "C", "D"}
        assert info.chunk.doc_id == "destination-groups" and info.chunk.text
        assert info.by_rule == (info.group == "C")
        if info.by_rule:
            assert "グループC" in info.chunk.text


def test_every_table_row_names_a_known_country():
    assert T.countries.unknown_rows == []
    assert T.countries.rule is not None


@pytest.mark.parametrize("name,group", [
    ("中国", "C"), ("ベトナム", "C"), ("UAE", "C"), ("アラブ首長国連邦", "C"), ("香港", "C"), ("台湾", "C"),
    ("タイ", "C"), ("米国", "A"), ("アメリカ", "A"), ("USA", "A"), ("US", "A"), ("United States", "A"),
    ("韓国", "A"), ("イギリス", "A"), ("UK", "A"), ("Germany", "A"), ("ドイツ", "A"), ("イラン", "D"),
    ("イラク", "D"), ("北朝鮮", "D"), ("North Korea", "D"), ("コンゴ民主共和国", "D"), ("コンゴ共和国", "C"),
    ("ｲﾗﾝ", "D"), ("ＵＳＡ", "A"), ("Viet Nam", "C"), ("ロシア", "C")])
def test_groups(name, group):
    assert T.countries.resolve(name).group == group


def test_lowercase_us_is_no_country_and_congo_is_ambiguous():
    assert T.countries.resolve("us") is None
    assert T.countries.resolve("コンゴ") is None and T.countries.is_ambiguous("コンゴ")
    assert {c.iso for c in T.countries.candidates("Congo")} == {"CG", "CD"}
    assert T.countries.resolve("ドミニカ") is None


def test_iraq_cites_both_lists():
    info = T.countries.resolve("イラク")
    assert info.embargoed and info.of_concern
    assert {r.listing for r in info.rows} == {"別表第3の2", "別表第4"}


def _found(text):
    out = []
    for (a, b), info in T.countries.find_all(text):
        out.append([i.iso for i in info] if isinstance(info, list) else info.iso)
    return out


def test_find_all_in_running_text():
    assert _found("タイとベトナムの工場へ、ネクタイとタイヤを送る") == ["TH", "VN"]
    assert _found("インドネシア向けとインド向け") == ["ID", "IN"]
    assert _found("Can we ship to the US and the UK? Let us know.") == ["US", "GB"]
    assert _found("exports to North Korea and South Sudan") == ["KP", "SS"]
    assert _found("南スーダンとスーダン") == ["SS", "SD"]
    assert _found("コンゴへ輸出") == [["CD", "CG"]]
    assert _found("USBメモリを持ち出す") == []
    assert _found("中国経済産業局に相談して、中国向けに出す") == ["CN"]      # the first 中国 is a Japanese region
    assert _found("Latin America and South Africa") == ["ZA"]


# ------------------------------------------------------------------ criteria, citations, cache

def test_criteria_rows():
    labels_ = [r.label for r in T.criteria]
    assert "Ⅰ①" in labels_ and "Ⅱ①" in labels_ and "Ⅱ⑩" in labels_
    assert all(r.chunk.doc_id == "compliance-criteria" for r in T.criteria)


def test_one_citation_builder():
    chunk = T.list_rows[1].chunk
    c = citation(chunk, 3, whole=True)
    assert (c.n, c.chunk_id, c.text, c.highlight) == (3, chunk.chunk_id, chunk.text, ((0, len(chunk.text)),))
    citer = Citer()
    a, b, a2 = citer.cite(T.list_rows[1].chunk), citer.cite(T.list_rows[2].chunk), citer.cite(T.list_rows[1].chunk)
    assert (a.n, b.n, a2.n) == (1, 2, 1) and len(citer.citations) == 2


def test_tables_built_once_per_generation():
    class Index:
        def __init__(self, gen):
            self.gen_dir, self.chunks = Path(gen), CHUNKS
    one, again, other = tables_for(Index("/g1")), tables_for(Index("/g1")), tables_for(Index("/g2"))
    assert one is again and one is not other


def test_every_alias_resolves_or_is_ambiguous():
    for c in COUNTRIES:
        for alias in c.aliases:
            if T.countries.is_ambiguous(alias):
                assert len(T.countries.candidates(alias)) == 2, alias
                continue
            info = T.countries.resolve(alias)
            assert info is not None and info.iso == c.iso and info.chunk.text, alias


def test_row_passages_must_use_the_rows_own_words():
    """The first explanation of 2項(12) is about machine tools, never the IT-loan slide that
    ranks first on loose word overlap."""
    from anpo.listcontrol import row_passages
    from retrieval.types import Hit
    row = next(r for r in T.list_rows if r.label.startswith("2項(12)"))
    loan = next(c for c in CHUNKS if "IT活用促進資金" in c.locator)
    tools = next(c for c in CHUNKS if c.doc_id == "outreach-2026-kanto" and "工作機械" in c.text)
    hits = [Hit(loan, 1.0, 1, bm25_rank=1), Hit(row.chunk, 0.9, 2, bm25_rank=2), Hit(tools, 0.8, 3, bm25_rank=3)]
    got = row_passages(lambda q, k: hits, row)
    assert [h.chunk.chunk_id for h in got] == [tools.chunk_id]


# ------------------------------------------------------------------ the table's terms said another way

@pytest.mark.parametrize("q,label", [("質量分析器を中国の大学に売りたい", "2項(32)"), ("信号発生装置を輸出したい", "7項(12)"),
                                     ("中古の電子計算器を海外へ", "8項(1)"), ("周波数変換装置は規制対象？", "2項(8)")])
def test_another_equipment_word_reaches_the_item(q, label):
    assert label in labels(q)


@pytest.mark.parametrize("q", ["温度装置を送る", "圧力装置を輸出", "重力機を輸出"])
def test_short_stems_take_no_other_equipment_word(q):
    assert labels(q) == []


@pytest.mark.parametrize("q,label", [("半導体の製造装置を中国に売る予定です", "7項(16)"), ("炭素の繊維を台湾へ", "5項(18)"),
                                     ("数値制御の工作機械をタイへ送る", "6項(2)")])
def test_a_no_between_the_words_of_an_item_name(q, label):
    assert label in labels(q)
    assert any("の" in m.why.split("」")[0] for m in T.products.match(q))       # the why quotes the asker's words


def test_an_english_compound_may_be_hyphenated():
    assert "5項(18)" in labels("We want to export carbon-fibre tubes to China.")
    assert "6項(2)" in labels("Is a used 5-axis machining-centre controlled?")


def test_the_why_writes_terms_as_the_asker_and_the_table_do():
    why = " ".join(m.why for m in T.products.match("NC旋盤の中古をベトナムに売りたい"))
    assert "「NC旋盤」" in why and "nc旋盤" not in why
    why = " ".join(m.why for m in T.products.match("FPGAボードを韓国に出す"))
    assert "「FPGA」" in why and "「FPLDを組み込んだモジュール」" in why


def test_every_japanese_country_name_is_found_in_running_text():
    """A name whose last sound is long (ミャンマー, ノルウェー) is found although its search form drops the ー."""
    from anpo.tables import load_countries
    missed = [c.ja for c in load_countries() if not T.countries.find_all(f"{c.ja}の商社に送る")]
    assert missed == []
    assert T.countries.find_all("タイヤを送る") == []


@pytest.mark.parametrize("q,label", [("エンコーダを海外の工作機械メーカーに売る", "7項(8)"),
                                     ("ベアリングを工作機械メーカーに納める", "6項(1)"),
                                     ("ジャイロをドローンメーカーへ出荷", "11項(2)")])
def test_a_customers_trade_named_before_maker_is_no_product(q, label):
    """「工作機械メーカー」 names the customer (the search form drops the final ー: メーカ), not the goods."""
    assert labels(q)[0] == label and "6項(2)" not in labels(q) and "13項(4)" not in labels(q)


def test_an_english_word_ending_in_y_has_its_ies_plural():
    assert labels("Are lithium batteries controlled for export?") == ["7項(6)"]
    assert labels("We sell lithium battery packs") == ["7項(6)"]
    assert labels("lithium batteryx") == []


@pytest.mark.parametrize("text,name", [("A Russian buyer wants our pumps", "ロシア"), ("a Vietnamese trading company", "ベトナム"),
                                       ("Our Pakistani distributor", "パキスタン"), ("the Indian subsidiary", "インド")])
def test_an_english_adjective_of_a_country_names_it(text, name):
    found = T.countries.find_all(text)
    assert [i.name for _, i in found] == [name]

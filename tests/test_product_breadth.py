"""Product checks and deal checks worded the way owners talk: a thing named by the asker's own
word (known to the lexicon or not) is answered as a product check, never refused; pack concepts
stay ordinary questions; a deal told with an unknown everyday name, refusals and red flags in
its situation becomes the cited checklist; bans stay bans; 「許可いる？」 gets a cited lead."""

from __future__ import annotations

import re

import pytest

from anpo.analysis import analyse
from anpo.screening import Deal, find_red_flags, from_situation, load_deal_fields, screen
from anpo.slot_tables import LayerTables
from anpo.tables import build_tables, load_ban_goods, load_lexicon, load_thing_rules, named_thing, told_abroad
from conftest import ROOT
from retrieval.chunking import chunk_document
from retrieval.loaders import iter_knowledge_files, load_file

MARK = re.compile(r"\[\d+\]")
PACK = build_tables([c for p in iter_knowledge_files(ROOT / "knowledge") for c in chunk_document(load_file(p))])
SLOTS = LayerTables(PACK)
RULES = load_thing_rules()


# ------------------------------------------------------------------ a thing by the asker's own word

@pytest.mark.parametrize("q", RULES.examples)
def test_thing_examples_name_a_thing(q):
    assert named_thing(q), q


@pytest.mark.parametrize("q", RULES.not_examples)
def test_pack_concepts_name_no_thing(q):
    assert named_thing(q) == "", q


@pytest.mark.parametrize("q,thing", [
    ("弊社のサーボモーターって輸出規制に引っかかる？", "サーボモーター"),
    ("うちのLED照明って規制対象ですか？", "LED照明"),        # as written, not the search form
    ("マルエージング鋼の丸棒を海外に出したいんだけど規制かかる？", "マルエージング鋼の丸棒"),
    ("中古のフォークリフトをフィリピンに輸出したい。許可いりますか？", "フォークリフト"),
    ("軍手をタイに輸出したいけど規制ありますか", "軍手"),
    ("Is our vacuum pump controlled for export to China?", "vacuum pump"),
])
def test_the_thing_is_named_as_the_asker_wrote_it(q, thing):
    assert named_thing(q) == thing


@pytest.mark.parametrize("q", ["該非判定でマトリクス表を検索するときのコツはありますか？", "出荷のときって何をチェックすればいい？",
                               "ホワイト国って何ですか？", "外国ユーザーリストって何が載ってるの？", "図面を中国の子会社に送るのは輸出？"])
def test_a_word_that_asks_nothing_about_goods_is_no_thing(q):
    assert named_thing(q) == ""


def test_a_destination_told_without_a_country():
    assert told_abroad("フォークリフトを東南アジアのバイヤーに売りたい") == "東南アジア"
    assert told_abroad("We sell pumps overseas") == "overseas"
    assert told_abroad("韓国に送る") == ""


# ------------------------------------------------------------------ the lexicon is honest

@pytest.mark.parametrize("q,absent,present", [
    ("リチウムイオン電池を輸出したい", "2項(24)", "7項(6)"),          # lithium metal is not a battery
    ("点検用の水中ドローンを海外へ", "13項(4)", "12項(5)"),              # an underwater drone is no UAV
])
def test_a_table_word_inside_an_everyday_name_yields_to_it(q, absent, present):
    labels = [m.row.label.split()[0] for m in PACK.products.match(q)]
    assert absent not in labels and present in labels


@pytest.mark.parametrize("q", ["温度計を海外に送る", "軍手をタイへ", "レーザーポインターを輸出", "冷凍機能付きのトラック",
                               "光ファイバジャイロを輸出", "サーバー攻撃の対策"])
def test_no_over_offering(q):
    labels = [m.row.label for m in PACK.products.match(q)]
    assert not any(l.startswith(("6項(6)", "1項", "2項(31)", "10項(8)", "7項(15の3)", "9項(3)", "8項")) for l in labels), (q, labels)


@pytest.mark.parametrize("entry", [e for e in load_lexicon() if any(x.isascii() is False for x in e.term)][:1] +
                         list(load_lexicon()), ids=lambda e: e.term)
def test_each_lexicon_row_makes_its_first_question_a_product_question(entry):
    """The row's first example, analysed with the tables, has the product slot (a deal or a product check)."""
    a = analyse(entry.examples[0], SLOTS)
    assert a.products, entry.examples[0]


# ------------------------------------------------------------------ never refused, cited, honest lead

UNKNOWN_THINGS = ["弊社のサーボモーターって輸出規制に引っかかる？", "うちのLED照明って規制対象ですか？",
                  "マルエージング鋼の丸棒を海外に出したいんだけど規制かかる？", "温度計を海外に送るのに許可いる？",
                  "Is our vacuum pump controlled?".replace("vacuum pump", "garden hose")]


@pytest.mark.parametrize("q", UNKNOWN_THINGS)
def test_is_my_unknown_thing_controlled_is_never_refused(pack, q):
    tr = pack.explain(q)
    a = tr.answer
    assert tr.route == "product_check" and a.grounded and pack.check(a) == [], (q, tr.route)
    first = a.answer.splitlines()[0]
    assert first.startswith(("一概には言えません。", "It depends.")) and MARK.search(first), first
    assert "該非判定" in a.answer and ("キャッチオール" in a.answer or "catch-all" in a.answer)


@pytest.mark.parametrize("q", ["インバーターを中国に輸出するのって許可いる？", "発酵槽をインドの製薬会社に売る予定です。規制対象？",
                               "うちの高速度カメラは輸出できますか？", "サーモカメラ（赤外線）をドバイの販売店に卸したい。規制ありますか",
                               "FPGAを載せた評価ボードはリストに載ってる？"])
def test_everyday_names_reach_their_items(pack, q):
    tr = pack.explain(q)
    assert tr.route in ("product_check", "deal") and tr.answer.grounded, (q, tr.route)
    assert re.search(r"\d+(の\d+)?項\(", tr.answer.answer), tr.answer.answer


@pytest.mark.parametrize("q", ["みなし輸出って規制対象？", "技術提供って許可いる？", "ホワイト国向けなら何でも許可いらないでしょ？"])
def test_pack_concepts_stay_ordinary_questions(pack, q):
    assert pack.explain(q).route not in ("product_check", "deal")


@pytest.mark.parametrize("q", ["ロシアにサーボモーターを送るのは規制対象？", "ベラルーシにインバーターを送るのに許可いる？"])
def test_a_banned_destination_stays_a_ban_without_a_misleading_no(pack, q):
    a = pack.ask(q)
    first = a.answer.splitlines()[0]
    assert "禁止" in first and MARK.search(first) and not first.startswith("いいえ"), first


@pytest.mark.parametrize("q", ["ワシントン条約に引っかかる象牙の置物を海外の親戚に送れる？", "象牙の置物を中国に売りたい。ワシントン条約に引っかかる？"])
def test_another_rulebook_is_refused_not_product_checked(pack, q):
    tr = pack.explain(q)
    assert not tr.answer.grounded and "other rulebook" in tr.route


# ------------------------------------------------------------------ deals

def test_a_deal_with_an_unknown_name_says_classification_is_needed(pack):
    a = pack.ask("中古のフォークリフトを東南アジアのバイヤーに売りたい。現金払いで急ぎだと言われています")
    assert a.grounded and pack.check(a) == []
    steps = [l for l in a.answer.splitlines() if re.match(r"\d+\. ", l)]
    assert "「フォークリフト」" in steps[0] and "該非判定" in steps[0] and MARK.search(steps[0])
    assert "「東南アジア」" in steps[1]
    assert "現金払い" in a.answer                              # the situation's red flag reached step 4


def test_a_refusal_to_explain_is_no_technology_transfer(pack):
    a = pack.ask("取引のない香港の会社から精密測定器を10台ほしいと言われた。使い道は教えてくれない。受けていい？")
    assert "技術を渡す取引" not in a.answer
    use = next(l for l in a.answer.splitlines() if "【" in l and "用途:" in l)
    assert "説明を拒んで" in use and "用途: 用途" not in use


def test_teaching_is_still_technology(pack):
    a = pack.ask("台湾の取引先から、うちの技術者を派遣して現地で装置の使い方を教えてほしいと頼まれた。")
    assert "技術" in a.answer.splitlines()[0] or "技術の提供" in a.answer


def test_no_step_is_empty(pack):
    a = pack.ask("インドネシアの会社にインバーターを売りたい。向こうは軍関係の工場らしいんだけど大丈夫？")
    for l in a.answer.splitlines():
        m = re.match(r"\d+\. 【[^】]+】[^:]+: ?(.*)$", l)
        if m:
            assert m.group(1).strip(" []0-9"), l
    assert "軍" in a.answer and "注意信号" in a.answer


@pytest.mark.parametrize("q", ["中古のNC旋盤をタイのバイヤーに売りたいんですが、許可いりますか？",
                               "インバーターを中国に輸出するのって許可いる？"])
def test_licence_asked_gets_a_cited_depends_lead(pack, q):
    first = pack.ask(q).answer.splitlines()[0]
    assert first.startswith("一概には言えません。") and MARK.search(first), first


# ------------------------------------------------------------------ screening reads the situation

def _deal(situation: str, **kw) -> Deal:
    return Deal(kw.get("product", "ポンプ"), kw.get("destination", "タイ"), kw.get("end_user", ""), kw.get("use", ""),
                "", situation)


@pytest.mark.parametrize("field,clause", [(f, c) for f, _, ex in load_deal_fields() if f in ("end_user", "use", "resale") for c in ex])
def test_deal_field_examples_fill_their_field(field, clause):
    d = from_situation(_deal(clause))
    assert getattr(d, field), (field, clause, d)


def test_told_values_fill_a_field_and_asking_does_not():
    assert from_situation(_deal("用途は大学の研究と聞いています")).use
    assert not from_situation(_deal("用途を確認したい")).use
    assert not from_situation(_deal("現地で使い方を教えないといけない")).use


def test_situation_red_flags_are_words():
    ids = lambda s: {f.rule.id for f in find_red_flags(_deal(s))}  # noqa: E731
    assert "military" in ids("納入先は軍関係らしい") and "military" not in ids("軍手を送る")
    assert "unusual" in ids("見積もり不要の急ぎの注文") and "unusual" in ids("支払いは現金払いで")
    assert "resale" in ids("その先イランに転売するらしい")
    assert "refused" in ids("使い道は言わない") and "refused" not in ids("使い方を教えないといけない")


def test_screen_fills_the_use_step_from_the_situation():
    r = screen(_deal("使い道は教えてくれない"), PACK, lambda q, k: [])
    assert "説明を拒んで" in r.check("use").detail


def test_an_unstated_product_asks_for_classification():
    r = screen(Deal("（品目の記載なし）", "タイ"), PACK, lambda q, k: [])
    assert "品目が分からない" in r.check("list").detail and r.check("list").citations


# ------------------------------------------------------------------ 「載ってる？」: はい only from a row that names the same goods

def test_lexicon_asserts_column_is_valid():
    for e in load_lexicon():
        assert e.asserts in ("", "yes") or re.compile(e.asserts), e.term


@pytest.mark.parametrize("q,yes", [
    ("ペプチド合成装置ってリストに載ってる？", True),          # the same goods by another name
    ("NC旋盤ってリストに載ってる？", True),                    # 旋盤 asserts 数値制御工作機械 only with NC
    ("旋盤ってリストに載ってる？", False),
    ("遠心分離機ってリストに載ってる？", False),              # a category that covers some centrifuges: candidates only
    ("レーザー加工機ってリストに載ってる？", False),
    ("ジャイロセンサーって航法装置の項目に入る？", False),     # a gyroscope is listed by its specifications
    ("粉を混ぜるミキサーってリストに載ってる？", True),
    ("ミキサーってリストに載ってる？", False),
])
def test_listed_questions_get_yes_only_when_a_row_names_the_same_goods(pack, q, yes):
    first = pack.ask(q).answer.splitlines()[0]
    assert first.startswith("はい。") is yes and MARK.search(first), first


# ------------------------------------------------------------------ a name's absence is no classification

@pytest.mark.parametrize("q", RULES.absent_examples)
def test_no_hit_taken_as_non_listed_gets_no_with_the_cited_reason(pack, q):
    first = pack.ask(q).answer.splitlines()[0]
    assert first.startswith("いいえ。") and "非該当" in first and MARK.search(first), first


def test_an_unknown_name_gets_the_cited_hint_that_the_table_uses_legal_terms(pack):
    a = pack.ask("ボールバルブの該非を調べたいけど、検索語は何で引けばいいですか")
    assert "「ボールバルブ」" in a.answer and "「弁」" in a.answer and pack.check(a) == []


@pytest.mark.parametrize("q", ["空撮用のマルチコプターを扱ってるドローンショップです、規制対象かどうか知りたい",
                               "うちのサーボモーターが規制対象かどうか教えて"])
def test_whether_asked_as_kadouka_gets_the_depends_lead(pack, q):
    assert pack.ask(q).answer.startswith("一概には言えません。")


def test_diversion_signals_in_a_deal_cite_the_diversion_passage(pack):
    a = pack.ask("トルコの商社から最近急に注文が増えてて、最終仕向地を聞くとはぐらかされる。どうするのが正解？")
    assert a.grounded and "迂回" in a.answer and pack.check(a) == []


# ------------------------------------------------------------------ a deal's own reason, group A, resale

@pytest.mark.parametrize("q,word", [("ベトナム向けにICを80万円分だけ出すんだけど、少額だから許可いらない？", "少額"),
                                    ("タイの代理店にベアリングを売りたい。少額なので許可はいらないですよね？", "少額")])
def test_a_deals_stated_reason_gets_the_cited_sentence_against_it(pack, q, word):
    a = pack.ask(q)
    lines = a.answer.splitlines()
    assert lines[0].startswith("一概には言えません。") and not lines[0].startswith("いいえ")
    assert any(word in l and "キャッチオール" in l and MARK.search(l) for l in lines[1:3]), lines[:3]


def test_group_a_catch_all_step_says_the_objective_requirements_do_not_apply():
    r = screen(Deal("電子部品", "アメリカ"), PACK, lambda q, k: [])
    c = r.check("catch_all")
    assert "客観要件は適用されません" in c.detail and "インフォーム" in c.detail and c.citations


def test_a_refused_resale_destination_is_the_diversion_check():
    r = screen(_deal("転売先は教えてくれない"), PACK, lambda q, k: [])
    c = r.check("resale")
    assert "迂回輸出" in c.detail and any(x.doc_id == "sanctions" for x in c.citations)


@pytest.mark.parametrize("q", ["超音波洗浄機を輸出したい", "マスクを海外へ送る", "航空機部品の輸出", "回収業者に売る", "冷却器を輸出"])
def test_generic_parts_of_compound_names_offer_nothing(q):
    assert PACK.products.match(q) == [], [m.row.label for m in PACK.products.match(q)]


def test_a_deal_that_asks_whether_classification_is_needed_gets_yes_with_the_cited_duty(pack):
    first = pack.ask("研究用のレーザー光源をアメリカの大学に送る予定ですが、該非判定はいりますか").answer.splitlines()[0]
    assert first.startswith("はい。") and "必要" in first and MARK.search(first), first


@pytest.mark.parametrize("q,thing", [("We make garden hoses for export. Do we need a licence?", "garden hoses"),
                                     ("We make titanium bolts. Are they on Japan's control list?", "titanium bolts")])
def test_english_makers_name_their_goods(q, thing):
    assert named_thing(q) == thing


def test_group_a_unknown_parties_are_to_check_not_red_flags():
    r = screen(Deal("電子部品", "アメリカ"), PACK, lambda q, k: [])
    for key in ("end_user", "use"):
        c = r.check(key)
        assert c.status == "check" and "客観要件は適用されません" in c.detail and c.citations, (key, c.detail)
    assert screen(Deal("電子部品", "ベトナム"), PACK, lambda q, k: []).check("use").status == "flag"


@pytest.mark.parametrize("q", ["We will ship electronic parts to our customer in the US. Do we still need catch-all checks?",
                               "非該当と確認済みの電子部品をアメリカの既存顧客に出します。キャッチオールの確認も必要ですか？"])
def test_a_group_a_deal_says_catch_all_objective_requirements_do_not_apply(pack, q):
    tr = pack.explain(q)
    assert tr.route == "deal" and pack.check(tr.answer) == []
    assert re.search(r"客観要件は適用されません|objective requirements of catch-all control do not apply", tr.answer.answer)


def test_regions_told_in_english():
    assert told_abroad("A buyer in Southeast Asia wants our pumps") == "southeast asia"


def test_a_deal_asserting_a_false_reason_gets_no_with_the_sentence_that_states_the_need(pack):
    first = pack.ask("ドイツの取引先に三次元測定機を1台売ります。ドイツはグループAだから許可いらないですよね？").answer.splitlines()[0]
    assert first.startswith("いいえ。") and "グループA" in first and "必要" in first and MARK.search(first), first


def test_a_qualifying_sentence_never_carries_no(pack):
    first = pack.ask("タイの代理店にベアリングを売りたい。少額なので許可はいらないですよね？").answer.splitlines()[0]
    assert not first.startswith("いいえ。"), first


@pytest.mark.parametrize("q", ["うちの製品はただのゴム手袋です。規制なんて関係ないですよね？",
                               "先生、うちの会社は精密な加速度センサーを作ってるんですが、輸出するときに注意する点はありますか？",
                               "韓国に5軸マシニングを輸出するとき、どの項目を見ればいい？"])
def test_more_owner_wordings_are_product_checks(pack, q):
    tr = pack.explain(q)
    assert tr.route == "product_check" and tr.answer.grounded and pack.check(tr.answer) == [], (q, tr.route)
    assert not tr.answer.answer.startswith("いいえ。グループ"), tr.answer.answer


def test_skipping_classification_for_a_thing_gets_no_with_the_cited_duty(pack):
    first = pack.ask("カナダの大学にサンプルのポンプを送るだけだから、該非判定はいらないよね？").answer.splitlines()[0]
    assert first.startswith("いいえ。") and "該非判定" in first and MARK.search(first), first


def test_no_lexicon_rows_first_question_is_refused(pack):
    """Each row's first example, asked as is (statements and fragments included), gets a grounded answer."""
    refused = [e.examples[0] for e in load_lexicon() if not pack.ask(e.examples[0]).grounded]
    assert refused == [], refused


@pytest.mark.parametrize("q,route", [("大学の研究室でペプチドの自動合成機を海外の大学に移設する話がある。規制品？", "product_check"),
                                     ("5台のマシニングセンタをタイ工場へ移設します", "deal"),
                                     ("立形フライス盤をベトナムへ", "deal"),
                                     ("We ship drone kits abroad", "deal")])
def test_told_deals_and_the_asked_sentence_decide_the_route(pack, q, route):
    assert pack.explain(q).route == route


# ------------------------------------------------------------------ goods named are never refused

@pytest.mark.parametrize("q,route", [("炭素繊維の織物ってリスト規制ですか？", "product_check"),
                                     ("カーボンのロッドを海外に出荷予定です。大丈夫ですか？", "deal"),
                                     ("アルミ合金の丸棒を輸出したい", "deal"),
                                     ("真空ポンプの中古、海外に売れますか？", "deal"),
                                     ("圧力センサーを海外に出荷予定", "deal"),
                                     ("シンガポールの商社が、GPSロガーを大量に注文してきた。何に使うかは教えてくれない。", "deal"),
                                     ("ミャンマーの商社から暗号化チップの注文。転売先は未定らしい。", "deal")])
def test_goods_the_asker_names_are_checked_not_refused(pack, q, route):
    """A question naming goods whose other words the pack does not know (ロッド, 丸棒, ロガー) is a
    product check or a deal (anpo.screening.goods_route), never a refusal."""
    tr = pack.explain(q)
    assert tr.route == route and tr.answer.grounded and pack.check(tr.answer) == [], (q, tr.route)


@pytest.mark.parametrize("q", ["シンガポールに食品を輸出するときの衛生証明書は？", "中国に工作機械を送るとき梱包はどうすればいい？",
                               pytest.param("ベトナムに炭素繊維を送るときインボイスの書式ってどうする？", marks=pytest.mark.xfail(
                                   strict=True, reason="known regression of round 8: the synonym 書式 → 様式 (0babcd8, for "
                                   "「非該当証明書って決まった書式はある？」) makes 書式 a pack word, so asks_beside_the_deal no "
                                   "longer sees an unknown asked word and the deal checklist answers"))])
def test_a_question_beside_the_deal_gets_no_checklist(pack, q):
    """The goods and the destination are only the setting; what is asked (衛生証明書, 梱包, 書式) is no
    export-control matter: no checklist (anpo.screening.asks_beside_the_deal), refused."""
    tr = pack.explain(q)
    assert tr.route not in ("deal", "product_check") and "取引を進める前に" not in tr.answer.answer, (q, tr.route)


@pytest.mark.parametrize("q", ["マシニング3台、タイの工場に移設するんだけど何項になるの？",
                               "タイの代理店にベアリングを売るけど、その先どこかに転売するらしい。どうしたらいい？",
                               "香港の会社にドローンを売る話がある。代金は全額前払いでいいと言っている。"])
def test_a_deals_own_circumstances_keep_it_a_deal(pack, q):
    """Twins of the above: the unknown word is the deal's circumstance (移設, 転売, 代金/前払い)."""
    assert pack.explain(q).route == "deal", q


@pytest.mark.parametrize("q", [c for f, _, ex in load_deal_fields() if f == "goods_asked" for c in ex])
def test_goods_asked_words_make_a_product_check(q):
    from anpo.screening import goods_route
    assert goods_route(analyse(q, SLOTS)) == "product_check", q


def test_goods_route_needs_goods():
    from anpo.screening import goods_route
    assert goods_route(analyse("輸出許可って何ですか？", SLOTS)) == ""
    assert goods_route(analyse("シンガポールに食品を輸出するときの衛生証明書は？", SLOTS), ["衛生"]) == ""


# ------------------------------------------------------------------ bans name the goods asked about

@pytest.mark.parametrize("row,q", [(g, q) for g in load_ban_goods() for q in g.examples])
def test_a_ban_answer_quotes_the_measure_that_names_the_goods(pack, row, q):
    """トラック → the measure on 貨物自動車, ショベルカー → 建設機械 (data/ban_goods.tsv): the first line
    quotes, cited, the ban sentence that names the goods, not the first ban sentence found."""
    a = pack.ask(q)
    first = a.answer.splitlines()[0]
    n = int(MARK.search(first).group(0).strip("[]"))
    cited = next(c for c in a.citations if c.n == n)
    sentence = next(s for s in re.split(r"(?<=。)", cited.text) if row.pack_word in s)
    assert row.in_sentence(sentence) and ("禁止" in first or "prohibit" in first or "ban" in first), (q, first)


def test_ban_goods_pack_words_are_in_a_ban_sentence_of_the_pack():
    """A row may only name a word that a ban sentence of the pack uses."""
    text = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "knowledge" / "docs").glob("*.md"))
    for g in load_ban_goods():
        assert any(g.in_sentence(s) and "禁止" in s for s in re.split(r"(?<=。)", text)), g.pack_word
        assert len(g.examples) >= 3


def test_ban_goods_are_words():
    from anpo.tables import ban_goods
    assert [g.pack_word for g in ban_goods("ロシアに中古のトラックを売りたい")] == ["貨物自動車"]
    assert ban_goods("Can we ship a truckload of parts?") == []        # Latin terms are whole words
    pc = next(g for g in load_ban_goods() if g.pack_word == "コンピュータ")
    assert not pc.in_sentence("量子コンピュータや3Dプリンターなどの先端的な物品") and pc.in_sentence("半導体、コンピュータ、通信機器")


@pytest.mark.parametrize("q", ["ブラジルの代理店にステッピングモーターを売る", "UAEの商社経由でCFRPの板を出す。最終ユーザーは不明。",
                               "猟銃を海外に持って行きたい"])
def test_a_deal_told_without_a_question_gets_the_checklist(pack, q):
    """No cue fired, but goods and where they go are told: the checklist, not a stray grounded sentence."""
    tr = pack.explain(q)
    assert tr.route == "deal" and "取引を進める前に" in tr.answer.answer and pack.check(tr.answer) == [], (q, tr.route)


@pytest.mark.parametrize("situation", ["相手は軍の関係者らしい", "The end user is a military contractor",
                                       "先方は国防関連の研究所だそうです"])
def test_a_told_end_user_that_is_a_red_flag_is_flagged_in_its_step(situation):
    r = screen(_deal(situation), PACK, lambda q, k: [])
    step = r.check("end_user")
    assert step.status == "flag" and "注意信号" in step.detail, step.detail
    assert r.check("catch_all").status == "flag"


@pytest.mark.parametrize("q", ["カーボンシートって輸出規制ありましたっけ", "Is an oscilloscope on the list?",
                               "赤外線カメラって輸出するとき何か手続きいるの？"])
def test_an_answer_led_by_a_table_row_becomes_the_product_check(pack, q):
    """A goods question whose grounded answer would open with a 項番 row gets the product check:
    the rows, how to check them (該非判定書) and catch-all, each cited."""
    tr = pack.explain(q)
    assert tr.route == "product_check" and pack.check(tr.answer) == [], (q, tr.route)
    assert re.search(r"\d+(の\d+)?項\(|\d+\(\d+\)", tr.answer.answer) and ("該非判定" in tr.answer.answer)


@pytest.mark.parametrize("q", [c for f, _, ex in load_deal_fields() if f == "goods_other" for c in ex] +
                         ["FPGAを載せた評価ボード、今年から規制が変わったって聞いたけど本当？"])
def test_a_goods_question_about_a_change_or_penalty_keeps_its_grounded_answer(pack, q):
    from anpo.screening import asks_more_than_the_row
    assert asks_more_than_the_row(q)
    tr = pack.explain(q)
    # a product check answers a change only with the amendment that names the goods first (tests/test_cases.py)
    assert tr.route != "product_check" or "product_check" in analyse(q, SLOTS).intents \
        or "追加された貨物" in tr.answer.answer.splitlines()[0], (q, tr.route)


def test_the_product_answer_writes_the_tables_term_as_the_table_does(pack):
    first = pack.ask("FPGAを載せた評価ボードはリストに載ってる？").answer.splitlines()[0]
    assert "（FPLDを組み込んだモジュール）" in first and "fpld" not in first, first


def test_an_english_deal_with_a_russian_buyer_states_the_ban_first(pack):
    first = pack.ask("A Russian buyer wants our vacuum pumps. Can we ship them?").answer.splitlines()[0]
    assert "prohibit" in first and MARK.search(first), first


@pytest.mark.parametrize("q,thing", [("ろ過装置を中東のプラントに納めます", "ろ過装置"), ("うちのろ過装置は規制対象？", "ろ過装置"),
                                     ("いいポンプを海外に送る", "ポンプ")])
def test_a_things_name_may_begin_with_one_kana(q, thing):
    assert named_thing(q) == thing


@pytest.mark.parametrize("q", ["If I hand-carry a sample to a fair in Singapore, does that count as exporting?",
                               "周波数変換器を中国に売る場合は？"])
def test_a_question_with_no_cue_is_no_told_deal(pack, q):
    """Twins of the told deals above: asked (ends with ?), so answered as asked, not as a checklist."""
    assert pack.explain(q).route != "deal", q


# ------------------------------------------------------------------ English goods: a goods noun, never a fragment

def _rows(name):
    return list([ex for f, _, ex in load_deal_fields() if f == name][0])


@pytest.mark.parametrize("q", _rows("goods_head_en") + _rows("goods_generic_en"))
def test_english_goods_nouns_name_the_goods(q):
    """data/deal_fields.tsv goods_head_en / goods_generic_en: each example names its goods."""
    assert named_thing(q), q


@pytest.mark.parametrize("q,thing", [("Are stepper motors on the control list?", "stepper motors"),
                                     ("Do industrial mixers need a licence for Korea?", "industrial mixers"),
                                     ("Which item number on Japan's control list covers computers?", "computers"),
                                     ("We produce a metal powder for 3D printing. Is it controlled?", "metal powder")])
def test_english_goods_are_named_without_the_words_around_them(q, thing):
    assert named_thing(q) == thing


@pytest.mark.parametrize("q", ["Do I need to apply for a licence for a business trip to China?",
                               "Our engineers want to email drawings to our Vietnam subsidiary. Is that an export?",
                               "Our distributor in Russia is asking about the rules. Can we still export to them?",
                               "What is the small-value exemption limit for exports to Germany?",
                               "How can I check whether a particular country is in Group A before we export?",
                               "OK, and could we rely on that exemption for an export to Iran?"])
def test_english_fragments_function_words_and_places_are_no_goods(q):
    """Before: 'business trip', 'engineers want', 'distributor in Russia', 'limit', 'particular country', 'OK'."""
    assert named_thing(q) == "", (q, named_thing(q))


@pytest.mark.parametrize("q", _rows("asked_about_en"))
def test_an_english_question_beside_the_deal_gets_no_checklist(pack, q):
    """deal_fields.tsv asked_about_en: 'Which tax rate applies when we export machines …' asks about the tax
    rate, not the deal's export control: refused, never the six-step checklist."""
    tr = pack.explain(q)
    assert tr.route not in ("deal", "product_check") and not tr.answer.grounded, (q, tr.route)


@pytest.mark.parametrize("q", ["Are stepper motors on the control list?", "Do stepper motors need an export licence?",
                               "Is a stepping motor a listed item in Japan?"])
def test_english_goods_unknown_to_the_table_get_a_product_check(pack, q):
    tr = pack.explain(q)
    assert tr.route == "product_check" and tr.answer.grounded and pack.check(tr.answer) == [], (q, tr.route)


@pytest.mark.parametrize("q", ["マルチコプター用の送信機", "ステッピングモーター", "産業用ロボットのコントローラ？", "stepper motors?"])
def test_a_question_that_is_only_the_goods_name_gets_a_product_check(pack, q):
    """Typed as into a search box: the goods are checked (candidates or how to check), never refused."""
    tr = pack.explain(q)
    assert tr.route == "product_check" and tr.answer.grounded and pack.check(tr.answer) == [], (q, tr.route)


@pytest.mark.parametrize("q", ["ワッセナー・アレンジメント", "インコタームズ", "EPA", "みなし輸出"])
def test_a_bare_concept_is_no_goods_name(q):
    from anpo.tables import bare_thing
    assert bare_thing(q) == "", q


# ------------------------------------------------------------------ deals told as stories

@pytest.mark.parametrize("q", _rows("deal_asked") + [
    "Our distributor in Thailand wants to resell our servo motors to other countries. Is that a problem?",
    "A trading company in Dubai wants 30 of our CNC lathes and will pay cash up front.",
    "Our agent in Vietnam wants to buy vacuum pumps for the army. Is that an issue?"])
def test_a_deal_told_as_a_story_gets_the_checklist(pack, q):
    """Goods + where they go + a red flag (resell, cash, army) or "what should we check?" (anpo.screening.told_deal):
    the checklist, not a stray sentence or only the goods' rows."""
    tr = pack.explain(q)
    assert tr.route == "deal" and tr.answer.grounded and pack.check(tr.answer) == [], (q, tr.route)


@pytest.mark.parametrize("q", _rows("asks_to_tell"))
def test_a_request_to_tell_is_no_technology_in_the_deal(pack, q):
    """「確認事項を教えてください」 asks the reader; it is no 技術の提供 (before: 「技術を渡す取引です。」)."""
    ans = pack.ask(q).answer
    assert "取引を進める前に" in ans and "技術を渡す取引です" not in ans, ans[:200]


def test_teaching_in_a_deal_is_still_technology(pack):
    ans = pack.ask("タイの工場に工作機械を納めて、現地の技術者に操作を教える予定").answer
    assert ans.startswith("技術を渡す取引です。"), ans[:200]


@pytest.mark.parametrize("q", _rows("technology"))
def test_technology_told_with_what_to_check_is_no_goods_deal(q):
    """deal_fields.tsv technology: drawings and programs are handed over as technology, not told goods deals."""
    from anpo.screening import told_deal
    assert not told_deal(analyse(q, SLOTS)), q


@pytest.mark.parametrize("q", ["イランのお客さんに10万円くらいのリスト規制の部品を出したい。少額特例でいけるよね？",
                               "イラクの会社に少額のリスト規制品を送りたい。少額特例で許可なしでいい？",
                               "イラクの取引先にセンサーを少しだけ出したい。少額特例が使えるから許可なしで大丈夫？"])
def test_a_deal_resting_on_an_exemption_the_destination_excludes_is_no(pack, q):
    """The asker's reason (少額特例) for a destination the pack names as excluded: いいえ + that sentence, cited
    (before: 一概には言えません + the catch-all sentence)."""
    first = pack.ask(q).answer.splitlines()[0]
    assert first.startswith("いいえ。") and "少額特例は適用できません" in first and MARK.search(first), first


def test_the_exemption_for_another_destination_is_not_denied(pack):
    first = pack.ask("タイに少額の部品を送りたい。少額特例でいけるよね？").answer.splitlines()[0]
    assert not first.startswith("いいえ。"), first


@pytest.mark.parametrize("q", ["ロシアの取引先に工作機械の交換部品を送っても平気？", "ベラルーシにパソコン送っても平気かな？",
                               "ロシアにドローンを出してもセーフ？"])
def test_is_it_ok_to_send_to_a_banned_destination_is_no(pack, q):
    """「平気？」「セーフ？」 ask permission (leads.yaml can family): a ban answers いいえ (before: はい + the ban sentence)."""
    first = pack.ask(q).answer.splitlines()[0]
    assert first.startswith("いいえ。") and "禁止" in first, first


@pytest.mark.parametrize("q,dest", [("UAEの商社経由でイランにポンプを出す話がある。大丈夫？", "イラン"),
                                    ("シンガポール経由でパキスタンに測定器を送りたい", "パキスタン"),
                                    ("We were asked to ship valves via Dubai to Iran. Can we?", "イラン"),
                                    ("タイの代理店にベアリングを売る。ベトナムにも送るかも", "タイ")])
def test_the_deals_destination_is_where_the_goods_end_up(q, dest):
    """deal_fields.tsv transit: a country the goods only pass through is not the destination the checklist grades
    (before: 「UAEの商社経由でイランに」 was graded as UAE, グループC, not イラン, 懸念国)."""
    from anpo.screening import final_destination
    assert final_destination(q, analyse(q, SLOTS).countries).name == dest


def test_a_transit_deal_grades_the_final_destination(pack):
    ans = pack.ask("UAEの商社経由でイランにポンプを出す話がある。大丈夫？").answer
    step = next(l for l in ans.splitlines() if "仕向地の区分" in l)
    assert "イラン" in step and "グループD" in step, step


@pytest.mark.parametrize("q,words", [("ロシアの昔からのお客さんに、使ってない建機とかトラック売れないかって相談されてる", ("建設機械", "貨物自動車")),
                                     ("ロシアに中古のトラックとショベルカーを輸出したい", ("建設機械", "貨物自動車")),
                                     ("ロシアのバイヤーに宝石と高級車を売りたいんですが", ("宝飾品", "高級自動車"))])
def test_a_ban_answer_names_each_of_the_goods_asked_about(pack, q, words):
    """Two goods of data/ban_goods.tsv in one question: a cited ban sentence for each (before: one sentence,
    naming 貨物自動車 but not 建設機械)."""
    ans = pack.ask(q).answer
    head = ans.split("取引を進める前に")[0]
    assert all(w in head for w in words) and "禁止" in head and MARK.search(head), head


@pytest.mark.parametrize("q,user", [("イランの病院に医療機器を送りたいんだけど、許可いる？", "イランの病院"),
                                    ("台湾の半導体メーカーに洗浄装置を納める予定です", "台湾の半導体メーカー"),
                                    ("A university in China asked us for an infrared camera", "university")])
def test_a_recipient_that_uses_the_goods_is_the_told_end_user(q, user):
    """deal_fields.tsv user_entity: the end user is told, not 「分かっていません」."""
    assert from_situation(_deal(q)).end_user == user


def test_an_intermediary_is_no_end_user():
    assert from_situation(_deal("タイの代理店にベアリングを売る")).end_user == ""


@pytest.mark.parametrize("q", _rows("listed_asked"))
def test_goods_the_pack_names_as_added_to_the_list_answer_yes(pack, q):
    """deal_fields.tsv listed_asked + a lexicon row that asserts (ペプチド合成装置, 高エントロピー合金): はい/Yes with the row
    (before: 一概には言えません / It depends)."""
    first = pack.ask(q).answer.splitlines()[0]
    assert first.startswith(("はい。", "Yes.")) and MARK.search(first), first


@pytest.mark.parametrize("q", ["真空ポンプはリスト規制の対象ですか？", "炭素繊維って規制対象？"])
def test_goods_listed_by_specification_still_depend(pack, q):
    first = pack.ask(q).answer.splitlines()[0]
    assert first.startswith("一概には言えません。"), first


@pytest.mark.parametrize("q", ["アメリカの取引先にセンサーを出すけど、許可いる？", "ドイツの代理店にポンプを売っていい？",
                               "Can we ship pumps to our customer in Canada?"])
def test_a_group_a_deal_depends_on_an_inform_notice_not_on_catch_all_requirements(pack, q):
    """A Group A deal's 「一概には言えません」 rests on the group_a passage (an inform notice still needs a licence), not on
    the catch-all sentence whose objective requirements do not apply there."""
    first = pack.ask(q).answer.splitlines()[0]
    assert first.startswith(("一概には言えません。", "It depends.")) and re.search("インフォーム|inform", first) \
        and MARK.search(first), first


def test_a_deal_outside_group_a_depends_on_catch_all(pack):
    first = pack.ask("ベトナムの代理店に測定器を卸すんだけど、許可はいりますか").answer.splitlines()[0]
    assert "キャッチオール" in first, first


@pytest.mark.parametrize("situation", ["インドの商社がうちの赤外線カメラを100台欲しいと。転売するかもしれないとのこと。",
                                       "サウジの商社にバルブを売ります。支払いは現金で前払いだそうです",
                                       "A trading company in Dubai wants 30 of our CNC lathes and will pay cash up front."])
def test_a_red_flag_to_check_beside_an_unknown_use_keeps_catch_all_flagged(situation):
    """Before: a 'check' red flag (転売, 現金) replaced the unknown use's 要注意 with 要確認 in step 4."""
    c = screen(Deal("ポンプ", "インド", situation=situation), PACK, lambda q, k: []).check("catch_all")
    assert c.status == "flag" and "不明" in c.detail and "注意信号" in c.detail, c.detail


def test_a_red_flag_to_check_for_group_a_stays_to_check():
    c = screen(Deal("ポンプ", "アメリカ", situation="代理店が転売するらしい"), PACK, lambda q, k: []).check("catch_all")
    assert c.status == "check", c.detail


@pytest.mark.parametrize("q", _rows("export_act"))
def test_giving_goods_away_abroad_is_a_deal(pack, q):
    """deal_fields.tsv export_act: 寄付/寄贈/donate is the deal's act (before: 「…寄付したい」 was refused, 寄付 unknown)."""
    tr = pack.explain(q)
    assert tr.route == "deal" and tr.answer.grounded and pack.check(tr.answer) == [], (q, tr.route)


STORIES = [l.strip() for l in (ROOT / "tests" / "deal_stories.txt").read_text(encoding="utf-8").splitlines()
           if l.strip() and not l.startswith("#")]
BANNED = re.compile(r"ロシア|ベラルーシ|北朝鮮|Russia|Belarus|North Korea")


@pytest.mark.parametrize("q", STORIES)
def test_a_deal_story_is_answered_with_every_step_cited(pack, q):
    """62 own deal stories (tests/deal_stories.txt): answered (never refused), citations valid, each numbered step
    cited; a banned destination is stated as a ban before anything else."""
    ans = pack.ask(q)
    assert ans.grounded and pack.check(ans) == [], q
    lines = ans.answer.splitlines()
    assert all(MARK.search(l) for l in lines if re.match(r"\d+\. ", l)), q
    if BANNED.search(q):
        assert re.search("禁止|prohibit|banned", lines[0]), (q, lines[0])


@pytest.mark.parametrize("q,name", [("Can we ship carbon fibre sheets to a university in China for research?", "carbon fibre sheets"),
                                    ("We plan to export industrial robots to Mexico. The end user is an auto parts maker.",
                                     "industrial robots"),
                                    ("ロシアの取引先に工作機械の交換部品を送っても平気？", "工作機械の交換部品")])
def test_step_one_names_the_goods_as_the_asker_does(pack, q, name):
    """The checklist's step 1 names the whole goods ('carbon fibre sheets'), not only the table's word in it."""
    step = next(l for l in pack.ask(q).answer.splitlines() if l.startswith("1. "))
    assert name in step, step


@pytest.mark.parametrize("q", _rows("ordered"))
def test_goods_named_as_the_order_make_a_told_deal(pack, q):
    """deal_fields.tsv ordered: 「フッ化水素の注文が急に増えた」 is a deal about フッ化水素 (before: a stray sentence)."""
    from anpo.screening import ordered_thing
    tr = pack.explain(q)
    step = next(l for l in tr.answer.answer.splitlines() if l.startswith("1. "))
    assert tr.route == "deal" and ordered_thing(q) in step, (q, tr.route, step)

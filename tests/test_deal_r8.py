"""Deal answers (round 8): a banned destination named by its city is a ban; the ban sentence that names
the asked goods is found by the ban measures' word for them; a red-flag word told as absent raises no
flag; a deal whose end user or use is withheld is answered as a deal (never refused for its asked next
step), and "may we ship it as is?" gets いいえ from the cited sentence that says to confirm first.
Each test fails when the behaviour it names is removed."""

from __future__ import annotations

import re

import pytest

from anpo.analysis import analyse
from anpo.screening import Deal, as_is_withheld, find_red_flags, load_deal_fields
from anpo.slot_tables import LayerTables
from anpo.tables import build_tables
from conftest import ROOT
from retrieval.chunking import chunk_document
from retrieval.loaders import iter_knowledge_files, load_file

PACK = build_tables([c for p in iter_knowledge_files(ROOT / "knowledge") for c in chunk_document(load_file(p))])
SLOTS = LayerTables(PACK)
MARK = re.compile(r"\[\d+\]")


def _examples(field):
    return list(next(ex for f, _, ex in load_deal_fields() if f == field))


# ------------------------------------------------------------------ a banned destination named by its city

@pytest.mark.parametrize("q,country", [
    ("モスクワの工場から旋盤の注文が来た。出していい？", "ロシア"),
    ("ウラジオストクの業者に中古車のパーツを送りたいんだけど", "ロシア"),
    ("A distributor in Moscow wants our pumps. Can we sell to them?", "ロシア"),
    ("ミンスクの会社から半導体の引き合いがありました", "ベラルーシ"),
    ("平壌の学校に文房具を寄付したい", "北朝鮮"),
])
def test_a_city_of_a_banned_country_is_a_ban_question(q, country):
    a = analyse(q, SLOTS)
    assert [c.name for c in a.countries] == [country]
    assert "ban" in a.intents, a.intents


@pytest.mark.parametrize("q", ["テヘランの客先に部品を送りたい", "テヘランの展示会にサンプルを持っていく", "Our agent in Tehran wants spare parts"])
def test_tehran_is_iran(q):
    assert [c.name for c in analyse(q, SLOTS).countries] == ["イラン"]


@pytest.mark.parametrize("q", [
    "モスクワの民間の部品工場が3Dプリンターを1台ほしいって言ってきた。売れる？",
    "サンクトペテルブルクの会社に3Dプリンタを売ってもいい？",
    "モスクワの大学が3次元プリンターを買いたいそうです。出せますか？",
])
def test_a_ban_named_by_a_city_is_stated_with_the_goods(pack, q):
    ans = pack.ask(q).answer
    first = ans.split("\n")[0]
    assert first.startswith("いいえ。") and "3Dプリンター" in first and "禁止" in first and MARK.search(first), ans[:300]
    assert "一概には言えません" not in ans


# ------------------------------------------------------------------ the ban sentence naming the goods

@pytest.mark.parametrize("q", [
    "昔から付き合いのあるロシアの代理店が油圧ショベルを2台欲しいって。中古だし民間の土木会社が使うらしいんだけど、出せる？",
    "ロシアの建設会社にユンボを売りたいんだけど、出せますか？",
    "ロシアの取引先がブルドーザを1台ほしいそうです。輸出できる？",
])
def test_the_ban_line_quotes_the_sentence_naming_the_goods(pack, q):
    first = pack.ask(q).answer.split("\n")[0]
    assert first.startswith("いいえ。") and "建設機械" in first and MARK.search(first), first


# ------------------------------------------------------------------ a red flag told as absent

@pytest.mark.parametrize("clause", _examples("denied") + _examples("denied_before"))
def test_a_flag_word_told_as_absent_raises_no_flag(clause):
    assert not find_red_flags(Deal("-", "-", situation=clause)), clause


@pytest.mark.parametrize("clause,flag", [
    ("軍事転用しないか心配", "military"), ("納入先は軍関係らしい", "military"), ("人民解放軍の工場", "military"),
    ("The buyer will resell them", "resale"), ("転売先は教えてくれない", "resale"), ("Military use", "military"),
])
def test_a_flag_word_not_denied_still_flags(clause, flag):
    assert flag in [f.rule.id for f in find_red_flags(Deal("-", "-", situation=clause))], clause


# ------------------------------------------------------------------ end user or use withheld

@pytest.mark.parametrize("q", [
    "来週、中国の初めての商社から三次元測定機3台の注文が入りそう。最終的に使うのはどこか聞いたら「それは言えない」って返ってきた…このまま見積出して進めちゃっていいもの？",
    "タイの商社からサーボモーターの注文。用途は教えてくれない。見積書はもう出しちゃっていい？",
    "香港の会社がオシロスコープを10台ほしいって。誰が使うかは言えないそうだけど、見積もりは出していいもの？",
    "シンガポールの代理店が真空ポンプを5台ほしいって。最終ユーザーはわからないらしい。とりあえず見積もり出しとく？",
])
def test_a_withheld_deal_is_never_refused_for_its_next_step(pack, q):
    tr = pack.explain(q)
    assert tr.route == "deal" and tr.answer.grounded, (tr.route, tr.answer.answer[:200])


@pytest.mark.parametrize("q", _examples("as_is_asked"))
def test_shipping_as_is_with_the_use_withheld_is_no(pack, q):
    assert as_is_withheld(q)
    first = pack.ask(q).answer.split("\n")[0]
    assert first.startswith(("いいえ。", "No.")) and MARK.search(first), first


@pytest.mark.parametrize("q", [
    "用途は聞いても「言えない」の一点張りなんだけど、進めていい？",          # no 「このまま」: the checks decide
    "タイの代理店に非該当のポンプをこのまま出荷していい？",               # nothing withheld
    "エンドユーザーは大学の研究室と聞いている。このまま出荷していい？",
])
def test_no_as_is_lead_without_both(q):
    assert not as_is_withheld(q)


# ------------------------------------------------------------------ technology handed over, asked yes/no

@pytest.mark.parametrize("q,word", [
    ("顧問先が上海の100%子会社に、リスト規制に該当する技術の設計図をメールで送りたいそうです。自社の子会社宛てでも許可は必要ですか。", "はい。"),
    ("タイの子会社に、規制に該当する技術の図面を送りたいと思っています。子会社向けでも許可は要りますか？", "はい。"),
    ("上海の子会社にリスト規制品の設計データを送りたいんだけど、自分の会社の子会社なら許可なしでいいよね？", "いいえ。"),
    ("We want to send design drawings of a list-controlled part to our own subsidiary in Vietnam. It's our own company, "
     "so no licence is needed, right?", "No."),
])
def test_technology_to_a_subsidiary_asked_yes_no_is_answered_from_the_technology_sentences(pack, q, word):
    tr = pack.explain(q)
    first = tr.answer.answer.split("\n")[0]
    assert tr.route != "deal" and first.startswith(word) and MARK.search(first), (tr.route, first)
    assert "子会社" in first or "subsidiar" in first


@pytest.mark.parametrize("q", ["シンガポールの子会社に設計図を送る前に、何をチェックしとくべき？",
                               "We want to email design drawings to our subsidiary in Vietnam. What should we check?",
                               "タイの代理店にポンプを送りたい。許可いる？"])
def test_what_to_check_or_goods_stay_the_deal_checklist(q):
    from anpo.screening import technology_asked
    assert not technology_asked(analyse(q, SLOTS))


@pytest.mark.parametrize("q", ["We want to send design drawings to our subsidiary in Thailand. Do we need a licence for that?",
                               "タイの子会社に設計図を送りたいんですが、許可はいりますか？",
                               "中国の工場に図面をメールで送りたい。許可って必要？"])
def test_technology_untold_as_listed_stays_the_checklist(q):
    """Not told listed and no premise: whether a licence is needed depends on the classification."""
    from anpo.screening import technology_asked
    assert not technology_asked(analyse(q, SLOTS))


@pytest.mark.parametrize("q", _examples("told_listed"))
def test_told_listed_examples(q):
    pat = next(p for f, p, _ in load_deal_fields() if f == "told_listed")
    assert pat.search(q.lower())


# ------------------------------------------------------------------ a ban through a third country, a ban's exception

@pytest.mark.parametrize("q", [
    "大連の商社から、最終的に北朝鮮の工場に回す前提で家庭用ミシン20台の話がきてる。うちは中国に出すだけだから関係ないよね？",
    "タイの業者が北朝鮮に転送するらしいけど、うちが売るのはタイの会社だから問題ないですよね？",
    "Our buyer in Malaysia will forward the pumps to North Korea. We only sell to Malaysia, so it's fine, right?",
])
def test_goods_sent_on_to_a_banned_country_through_a_third_one(pack, q):
    first = pack.ask(q).answer.split("\n")[0]
    assert ("第三国" in first or "third countr" in first) and MARK.search(first), first
    assert first.startswith("いいえ。") or q.isascii(), first


@pytest.mark.parametrize("q", [
    "うちが100%出資してるロシアの現地法人に補修部品を送りたいんですけど、今の制裁でも何か道はあるんでしょうか。",
    "ロシアにある完全子会社の工場に交換部品を出す方法ってありますか",
    "Our wholly owned subsidiary in Russia needs spare parts. Is there any way to ship them?",
])
def test_a_case_the_ban_excepts_is_answered_by_the_exception(pack, q):
    first = pack.ask(q).answer.split("\n")[0]
    assert ("特例的に承認" in first or "special" in first.lower() or "exception" in first.lower()) and MARK.search(first), first


@pytest.mark.parametrize("q", ["人道目的なら北朝鮮に物資を送れる？", "ロシアの100%子会社向けなら部品を出せますか？",
                               "うちが100%出資してるロシアの現地法人に補修部品を送りたいんですけど、何か道はあるんでしょうか。"])
def test_a_banned_destination_never_gets_it_depends_in_general(pack, q):
    ans = pack.ask(q).answer
    assert "一概には言えません" not in ans and ans.startswith("条件次第です。"), ans[:200]


# ------------------------------------------------------------------ a party told to be on the End User List

@pytest.mark.parametrize("q", _examples("ful_listed")[:2] + [
    "パキスタンの研究所から真空ポンプの注文。外国ユーザーリストに掲載されている機関なんだけど、売っても大丈夫？",
    "インドの大学に計測器を売りたいが、外国ユーザーリストに載っていた。この取引はやめるべき？",
])
def test_a_listed_end_user_is_answered_with_what_to_weigh(pack, q):
    first = pack.ask(q).answer.split("\n")[0]
    assert first.startswith("一概には言えません。") and "懸念区分" in first and "明らか" in first and MARK.search(first), first
    assert "したがって" not in first


@pytest.mark.parametrize("q", _examples("ful_listed"))
def test_ful_listed_examples(q):
    from anpo.screening import told_ful_listed
    assert told_ful_listed(q)


# ------------------------------------------------------------------ a name split with 「の」

@pytest.mark.parametrize("q,item", [
    ("ペプチドの合成装置が追加されたと聞きました。どの項番ですか。", "細菌製剤用製造装置"),
    ("半導体の製造装置を台湾に出したいんだけど、規制ある？", "半導体製造装置"),
    ("粉粒体の混合機をタイの工場に納めます。リストに載ってる？", "粉粒体用混合機"),
])
def test_a_name_split_by_no_is_read_joined(q, item):
    assert item in [p.item for p in analyse(q, SLOTS).products]


def test_no_between_a_country_and_goods_adds_nothing():
    assert [p.item for p in analyse("中国の工場にポンプを送る", SLOTS).products] == ["ポンプ"]


# ------------------------------------------------------------------ whether first, then which

@pytest.mark.parametrize("q,word", [
    ("高エントロピー合金の粉、いまは規制に入ってるんですか？入ってるなら何の項？", "はい。"),
    ("ペプチド合成装置ってリストに載ってる？載ってるなら何項？", "はい。"),
    ("ドローンって規制対象？何項？", "一概には言えません。"),
])
def test_a_whether_before_a_which_gets_its_lead(pack, q, word):
    first = pack.ask(q).answer.split("\n")[0]
    assert first.startswith(word), first


def test_a_which_alone_gets_no_lead(pack):
    first = pack.ask("ドローンってリストのどこに載ってます？").answer.split("\n")[0]
    assert not first.startswith(("はい", "いいえ", "一概")), first


# ------------------------------------------------------------------ generic goods; the way through a third country

@pytest.mark.parametrize("q", ["ロシアに部品を送れますか？", "ロシアの取引先にパーツを送りたいけど、送れる？", "ベラルーシに素材を輸出できますか"])
def test_a_ban_of_other_items_gives_no_lead_for_generic_goods(pack, q):
    first = pack.ask(q).answer.split("\n")[0]
    assert "禁止" in first and not first.startswith(("いいえ", "はい", "一概")), first


@pytest.mark.parametrize("q", [
    "ロシアに交換部品を香港経由で送れば問題なかったりします?",
    "ロシアの昔からの取引先に、産業用の交換部品を送ってくれって頼まれてて。香港の会社をあいだに挟んで送れば問題なかったりします？",
    "カザフスタンの商社を通せばロシアに部品を出せますか？",
])
def test_the_way_through_a_third_country_is_no(pack, q):
    first = pack.ask(q).answer.split("\n")[0]
    assert first.startswith("いいえ。") and "第三国" in first and MARK.search(first), first


# ------------------------------------------------------------------ a party or a country is no goods

@pytest.mark.parametrize("q,thing", [
    ("昔から付き合いのあるロシアの代理店が油圧ショベルを2台欲しいって。出せる？", "油圧ショベル"),
    ("タイの代理店がエンドユーザーを頑なに教えてくれない。非該当品だし、このまま出荷しても構わないかな", ""),
    ("ベトナムの商社が中古のフォークリフトを欲しいと言ってきた。輸出できる？", "フォークリフト"),
    ("インドの取引先が発酵槽を買いたいそうです。規制ある？", "発酵槽"),
])
def test_the_thing_is_never_the_party_or_its_country(q, thing):
    from anpo.tables import named_thing
    assert named_thing(q) == thing


@pytest.mark.parametrize("q,kouban", [
    ("高エントロピー合金の粉、いまは規制に入ってるんですか？入ってるなら何の項？", "5の項(20)"),
    ("ペプチド合成装置って、もう規制に入ってる？", "3の2の項(2)10"),
    ("FPGAを載せたモジュールは規制に入ったの？", "7の項(10の2)"),
])
def test_asked_whether_goods_got_on_the_list_quotes_the_amendment(pack, q, kouban):
    assert kouban in pack.ask(q).answer

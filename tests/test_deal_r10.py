"""Deal answers (round 10): mechanisms of the deal and product routes, each with its own wordings.
- another regime named in English (PMD Act, certificate of free sale, MHLW) is refused with that regime's desk;
- a status word (non-listed, unlisted) is no part of an English goods name, and "anything we must check" asks the checklist;
- a told deal whose asked piece asks about control (「輸出規制とは無縁ですよね？」) is never refused as asked beside it;
- 「…でもなんでもない」「軍用じゃない」 tell a red-flag word as absent;
- 「…って一覧に名前出てきましたっけ？」 asks whether the name is on the list: はい when the asked sentence names the row's term.
Each test fails when the behaviour it names is removed."""

from __future__ import annotations

import pytest

from anpo.screening import Deal, asks_if_named, find_red_flags, load_deal_fields
from anpo.tables import english_goods

REFUSED = ("お答えできません", "cannot answer")


@pytest.mark.parametrize("q", [
    "We'd like to sell our hearing aids in Vietnam. Who issues the certificate of free sale, and how long does it take?",
    "Our Philippine importer needs paperwork under the PMD Act for our surgical gloves. How do we apply?",
    "Before we ship contact lenses to Cambodia, what approvals do we need from the MHLW?",
])
def test_another_regime_asked_in_english_is_refused(pack, q):
    tr = pack.explain(q)
    assert not tr.answer.grounded and any(r in tr.answer.answer for r in REFUSED), (tr.route, tr.answer.answer[:200])


@pytest.mark.parametrize("phrase,name", [
    ("non-listed electronic parts", "electronic parts"),
    ("our unlisted sensors", "sensors"),
    ("uncontrolled cables", "cables"),
])
def test_a_status_word_is_no_part_of_an_english_goods_name(phrase, name):
    assert english_goods(phrase) == name


@pytest.mark.parametrize("q", [
    "We're exporting non-listed pumps to a wholesaler in Indonesia. Even so, is there anything we must check before they go?",
    "Our unlisted sensors are going to a reseller in Malaysia. Is there anything we need to check before they leave?",
    "We export uncontrolled cables to a trading house in Turkey. Anything I should check on our side?",
])
def test_anything_we_must_check_is_the_deal_checklist(pack, q):
    tr = pack.explain(q)
    assert tr.route == "deal", (tr.route, tr.answer.answer[:200])
    assert "End User List" in tr.answer.answer and "non-listed" not in tr.answer.answer.split("\n")[1], tr.answer.answer[:300]


@pytest.mark.parametrize("q", [
    "タイの取引先から農業用のドローンを5台注文されました。ただの農機なんで、輸出規制とか関係ないですよね？",
    "インドネシアの農協に散布用の無人ヘリを5機売ります。武器でもなんでもないんで、輸出規制は無縁でしょ？",
    "ケニアの牧場に測量用のドローンを出すんですけど、農業用なんで規制の対象外ってことでいいですよね？",
])
def test_a_deal_asked_about_its_control_is_answered(pack, q):
    tr = pack.explain(q)
    assert tr.answer.grounded and tr.route in ("deal", "product_check"), (tr.route, tr.answer.answer[:200])
    assert "無人航空機" in tr.answer.answer


@pytest.mark.parametrize("field,text", [
    ("use", "武器でもなんでもないただの農機"),
    ("use", "軍用じゃないから大丈夫"),
    ("situation", "兵器でも何でもない家庭用のミシンです"),
])
def test_a_flag_word_told_as_absent_is_no_flag(field, text):
    assert not [f for f in find_red_flags(Deal("-", "-", **{field: text})) if f.rule.id in ("weapons", "military")]


NAMED = [c for f, _, ex in load_deal_fields() if f == "named_asked" for c in ex]


def test_named_asked_has_three_own_wordings():
    assert len(NAMED) >= 3


@pytest.mark.parametrize("q", NAMED)
def test_named_asked_examples(q):
    assert asks_if_named(q), q


@pytest.mark.parametrize("q", [
    "チタン合金ってリスト規制の一覧に名前あります？",
    "ベトナムの釣具メーカーにカーボン素材を売りたい。炭素繊維ってリストに名前出てきます？",
    "工作機械って、リストに書いてあったっけ？",
    "Does carbon fibre appear on the control list by name?",
])
def test_a_name_the_row_writes_asked_on_the_list_is_yes(pack, q):
    first = pack.ask(q).answer.split("\n")[0]
    assert first.startswith(("はい。", "Yes.")), first


@pytest.mark.parametrize("q", [
    "インドの商社にゴルフクラブのカーボンシャフトを売ります。カーボンシャフトってリストに名前ありますか？",
    "中国の客に遠心分離機を出す。遠心分離機ってリストに名前出てきます？",
])
def test_a_name_the_row_does_not_write_gets_no_yes(pack, q):
    first = pack.ask(q).answer.split("\n")[0]
    assert not first.startswith("はい。"), first


@pytest.mark.parametrize("q,name", [
    ("タイの工場からゴム手袋の注文が来てます。武器でもなんでもないし、規制とは無縁ですよね？", "ゴム手袋"),
    ("ベトナムの商社から発電機の見積依頼が来た。規制ある？", "発電機"),
    ("韓国の倉庫よりポンプを出荷します。許可は？", "ポンプ"),
    ("台湾の問屋からフィルターの発注がきた。リスト規制に入ってる？", "フィルター"),
])
def test_the_goods_name_is_not_cut_from_a_particle_nor_runs_into_the_order(q, name):
    from anpo.tables import named_thing
    assert named_thing(q) == name, q


@pytest.mark.parametrize("q", [
    "コンゴの病院に医療用の発電機を売る話がある。コンゴって国連武器禁輸の国だっけ？",
    "コンゴはグループDですか？",
    "コンゴ向けの輸出って別表第3の2の対象になりますか",
    "Is the Congo on the list of UN arms embargo countries?",
])
def test_a_name_of_two_countries_asked_yes_no_is_it_depends_with_both(pack, q):
    tr = pack.explain(q)
    first = tr.answer.answer.split("\n")[0]
    assert tr.route == "open_destination" and first.startswith(("一概には言えません。", "It depends.")), (tr.route, first)
    assert ("コンゴ共和国" in first and "コンゴ民主共和国" in first) or "Republic of the Congo" in first, first


@pytest.mark.parametrize("q", [
    "「コンゴ」としか書いてないけど、どこの国か確認する必要ある？",     # whether to check: open_need_sentence's
    "コンゴって懸念国に入ってる？",                                   # no sentence on the two speaks of 懸念国
    "コンゴ民主共和国は国連武器禁輸国ですか？",                         # one country named
])
def test_no_it_depends_when_not_asked_of_the_two(pack, q):
    assert pack.explain(q).route != "open_destination", q


BANNED = [c for f, _, ex in load_deal_fields() if f == "ful_banned" for c in ex]


def test_ful_banned_has_three_own_wordings():
    assert len(BANNED) >= 3


@pytest.mark.parametrize("q", BANNED + [
    "インドの代理店経由で話が来た相手が外国ユーザーリストに載ってるみたい。もう商売しちゃダメなんでしょ？",
    # (round 14, helper route) 「断るしかない？」 takes the list for a ban too: the labelled f10-038 and p13-038 expect いいえ
    "外国ユーザーリストに載ってる研究所から計測器の注文。懸念区分は化学兵器らしい。もう断るしかない？",
])
def test_the_end_user_list_taken_for_a_ban_is_no_from_the_not_banned_sentence(pack, q):
    first = pack.ask(q).answer.split("\n")[0]
    assert first.startswith(("いいえ。", "No.")) and ("禁止されるものではありません" in first or "not automatically prohibited" in first), first


@pytest.mark.parametrize("q", [
    "UAEの会社から工業用ポンプの引き合い。調べたら外国ユーザーリストに名前が出てきた！もう即アウト？",   # whether it is the end
    "外国ユーザーリストに載ってる相手に出すとき、許可なしじゃダメ？",                              # a licence asked, not a ban
])
def test_no_such_no_when_the_list_is_not_taken_for_a_ban(pack, q):
    first = pack.ask(q).answer.split("\n")[0]
    assert "禁止されるものではありません" not in first, first

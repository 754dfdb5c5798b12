"""Deal answers (round 11): the ask a deal question carries is answered from the sentence that settles it, before the
checklist (anpo.screening.settled_ask / claim_settled; words in data/deal_fields.tsv):
- a claim of the destination's group (「今もグループA外の扱いなんですよね？」) is judged by countries.tsv's group and cited
  from the pack's sentences naming the country and its group (the latest first);
- 「どっちのコンゴでも扱いは一緒だよね？」: a name of two countries said to be treated the same is いいえ;
- goods told listed (リスト該当) with a no-licence premise for a 'good' destination is いいえ: a listed item's licence does not
  depend on the destination;
- "Can we just go ahead?" with the end user withheld waves the red flag away (row dismissed).
Each test fails when the behaviour it names is removed."""

from __future__ import annotations

import pytest


def _first(pack, q):
    tr = pack.explain(q)
    return tr, tr.answer.answer.split("\n")[0]


@pytest.mark.parametrize("q", [
    "韓国のお客さんにリスト該当品を出す予定。何年か前に韓国ってホワイト国から外されたって聞いたんで、今もグループA外の扱いなんですよね？",
    "韓国向けに該当品を出すんだけど、韓国ってまだホワイト国から外されたままでしょ？",              # f8-037, other voices
    "釜山のお客さんに部品を売る話があって、確か韓国ってグループA外だったよね？",
    "Korea is still outside Group A, right?",
    "Korea was taken off the white list a few years back, so it still isn't in Group A today, right?",
])
def test_korea_claimed_outside_group_a_is_no_with_its_return(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith(("いいえ。", "No.")), (tr.route, first)
    assert any(d in tr.answer.answer for d in ("2023年7月21日", "July 21, 2023", "21 July 2023")) or "2023" in first, first


@pytest.mark.parametrize("q", [
    "台湾の客先にポンプを出す予定。台湾ってホワイト国だっけ？",
    "タイの会社に測定器を売ります。タイはグループAの国ですよね？",
    "シンガポールの代理店にバルブを出すけど、シンガポールってグループAの扱いだよね？",
])
def test_a_country_claimed_group_a_that_is_not_is_no(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith("いいえ。") and "グループA扱いになりません" in first, (tr.route, first)


@pytest.mark.parametrize("q", [
    "韓国って今はグループAに戻ってるんですよね？",
    "ドイツはグループAの国ですよね？",
    "中国ってホワイト国じゃないよね？",
])
def test_a_group_claim_that_holds_is_yes(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith("はい。"), (tr.route, first)


@pytest.mark.parametrize("q", [
    "ドイツの取引先にバルブを出す。ドイツってグループAの国だから許可いらないよね？",     # a reason, not the claim asked
    "グループA以外の国に出すときの手続きは？",                                        # no country, a longer ask
    "韓国向けのキャッチオール規制はどうなっていますか",                                # no claim
])
def test_no_claim_lead_when_the_group_is_not_what_is_asked(pack, q):
    assert pack.explain(q).route != "settled_claim", q
    assert not pack.ask(q).answer.startswith("はい。"), q


@pytest.mark.parametrize("q", [
    "コンゴの病院向けに分析装置を出す話が来ました。書類には『Congo』としか書いてないけど、どっちのコンゴでも扱いは一緒だよね？担当は現地の代理店任せで",
    "「コンゴ」向けの発電機の注文が来た。どっちのコンゴだろうと手続きは同じでしょ？",      # f8-042, other voices
    "コンゴの鉱山会社に削岩機を出したい。コンゴがどっちの国でも違いはないですよね？",
    "注文書の国名欄が『Congo』だけ。コンゴ共和国でも民主共和国でも規制は変わらないよね？",
])
def test_a_name_of_two_countries_said_to_be_the_same_is_no(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith("いいえ。") and "コンゴ民主共和国" in first and "国名" in first, (tr.route, first)


@pytest.mark.parametrize("q", [
    "ミュンヘンのお客さん向けにリスト該当のマシニングセンタを出荷します。営業いわく『EUの優等生の国だから許可なんて形だけ、要らない』らしいけど、それでOK？",
    "フランスの代理店に該当貨物のセンサーを送る予定です。先進国向けだから許可は不要ってことで合ってますか？",   # f8-034, other voices
    "当社のリスト該当品の真空ポンプをアメリカの大学に出します。アメリカはグループAなので、許可申請は省いて大丈夫ですよね？",
])
def test_listed_goods_said_to_need_no_licence_for_a_good_country_is_no(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith("いいえ。") and "仕向地によって変わりません" in first, (tr.route, first)
    assert "許可が必要" in tr.answer.answer


@pytest.mark.parametrize("q", [
    "非該当品のポンプをドイツに出すけど、ドイツだから許可いらないよね？",          # not listed
    "リスト該当品を少額特例でイタリアに出すなら許可なしでいける？",                # an exemption asked
    "ドイツの客にリスト該当の旋盤を出します。許可申請の手順を教えてください",        # no premise
])
def test_no_listed_regardless_lead_otherwise(pack, q):
    assert "仕向地によって変わりません" not in pack.ask(q).answer.split("\n")[0], q


@pytest.mark.parametrize("q", [
    "A distributor in Singapore wants our non-listed sensors but refuses to say who the end user is. Singapore isn't sanctioned, so can we just go ahead?",
    "Our buyer in Malaysia won't tell us who the end user is. Malaysia isn't a sanctioned country, so can we just go ahead?",   # f8-036
    "A trader in Dubai refuses to say what the pumps are for. It's a normal commercial deal, so we can simply go ahead, right?",
])
def test_just_go_ahead_with_the_end_user_withheld_is_no(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith("No."), (tr.route, first)


@pytest.mark.parametrize("q", [
    "イラン向けに少額特例って使える？100万円以下なんだけど",
    "イラクへの輸出でも少額特例でいけますか？",                              # f8-041, other voices
    "うちの部品、イランのお客さん向けだけど金額小さいし少額特例で出せる？",
])
def test_an_exemption_asked_for_a_destination_the_pack_denies_it_is_no_naming_it(pack, q):
    first = pack.ask(q).answer.split("\n")[0]
    assert first.startswith("いいえ。") and "適用できません" in first and "イラン" in first, first


@pytest.mark.parametrize("q", [
    "外国ユーザーリスト掲載企業が需要者で懸念区分はミサイル、当方の貨物はリスト非該当の汎用化学品である場合、許可申請の要否はどう判断しますか。",
    "需要者が外国ユーザーリストに載っていて懸念区分は核兵器、うちの製品は非該当の工業用ポンプの場合、許可は要りますか。",
    "懸念区分は化学兵器、貨物は非該当のバルブ。この場合の許可の要否は？",
    "相手は外国ユーザーリストの掲載企業で懸念区分は生物兵器です。非該当の培養器を輸出する場合、許可申請は必要ですか。",
    "相手先の懸念区分はミサイルです。輸出するのは非該当の樹脂で、許可は要りますか？",
])
def test_a_concern_category_is_no_goods(q):
    from anpo.tables import named_thing
    got = named_thing(q)
    assert not any(w in got for w in ("ミサイル", "兵器")), got


@pytest.mark.parametrize("q", [
    "外国ユーザーリスト掲載企業に非該当の部品を出すとき、何を確認すればいい？",
    "外国為替及び外国貿易法の手続きで、ポンプを売るときに気をつけることは？",
    "外国人の研究者にうちの装置を見せるのは問題ある？",
])
def test_a_word_holding_foreign_tells_no_destination(q):
    from anpo.tables import told_abroad
    assert told_abroad(q) == "", told_abroad(q)


def test_abroad_still_told():
    from anpo.tables import told_abroad
    assert told_abroad("外国の会社にポンプを売りたい") == "外国" and told_abroad("海外の代理店に部品を送る") == "海外"


@pytest.mark.parametrize("q", [
    "化粧品を中国に輸出したいんだけど、使っちゃダメな成分とか、向こうでの登録とか何が必要？",
    "タイに肥料を売るけど、相手国の規制で届出がいるものってある？",                  # f8-076, other voices
    "健康食品をマレーシアに出す予定。現地での登録って何をすればいい？",
])
def test_the_destinations_own_rules_are_refused(pack, q):
    tr = pack.explain(q)
    assert not tr.answer.grounded and "お答えできません" in tr.answer.answer, (tr.route, tr.answer.answer[:120])


@pytest.mark.parametrize("q", [
    "ベトナムに工作機械を出すけど、向こうでの使い道が軍事だったら輸出許可いる？",
    "タイの現地法人にポンプを送るんだけど、何を確認すればいい？",
    "中国の現地の代理店経由で測定器を売る。許可はいる？",
])
def test_a_destination_word_without_its_rules_is_answered(pack, q):
    assert pack.explain(q).answer.grounded, q


@pytest.mark.parametrize("q", [
    "ドイツの大手自動車メーカーに、非該当の樹脂クリップを毎月出すことになりました。キャッチオールの用途確認ってこの場合も毎回要るんですか",
    "フランスの大学に非該当の顕微鏡を送る。需要者の確認はいるの？",                       # f5-036, other voices
    "カナダの代理店に非該当のモーターを出すんだけど、用途確認って必要ですか",
])
def test_use_checks_asked_for_group_a_is_no_with_the_objective_requirements(pack, q):
    ans = pack.ask(q).answer
    assert ans.startswith("いいえ。") and "客観要件は適用されません" in ans.split("\n")[0] and "インフォーム" in ans, ans[:300]


@pytest.mark.parametrize("q", [
    "非該当と確認済みの電子部品をアメリカの既存顧客に出します。キャッチオールの確認も必要ですか？",
    "アメリカの代理店に非該当のセンサーを出します。キャッチオールの確認って必要？",
    "オーストラリアの会社に非該当の計測器を出す予定。キャッチオール規制の確認はいる？",
])
def test_catch_all_as_a_whole_asked_for_group_a_depends_on_the_inform_notice(pack, q):
    ans = pack.ask(q).answer
    assert ans.startswith("一概には言えません。") and "客観要件は適用されません" in ans.split("\n")[0] and "インフォーム" in ans, ans[:300]


@pytest.mark.parametrize("q", [
    "ベトナムの工場に非該当のポンプを出す。キャッチオールの用途確認って必要ですか？",
    "タイの会社に非該当のバルブを売るけど、用途確認っている？",
    "インドの商社に非該当の計測器を出すとき、需要者の確認は必要ですか",
])
def test_catch_all_checks_asked_outside_group_a_is_yes(pack, q):
    first = pack.ask(q).answer.split("\n")[0]
    assert first.startswith("はい。") and "グループA以外" in first, first


@pytest.mark.parametrize("q", [
    "台湾の半導体工場に、うちのウエハー用の検査装置を納めることになった。台湾ってホワイト国じゃなかったっけ？キャッチオールのほうも確認が要るの？",
    "シンガポールってグループAだよね？キャッチオールの確認は要る？",                           # f3-041, other voices
    "タイの取引先に部品を出すんだけど、タイってホワイト国だっけ？用途確認も必要なの？",
])
def test_a_group_claim_and_catch_all_asked_together_are_both_settled(pack, q):
    ans = pack.ask(q).answer
    assert ans.startswith("いいえ。") and "グループA扱いになりません" in ans.split("\n")[0], ans[:200]
    assert "グループA以外の国・地域へ非該当品を輸出する場合でも" in ans, ans[:400]


@pytest.mark.parametrize("q", [
    "ドイツはグループAだから用途確認はいらないよね？",          # the asker's own premise: not asked plainly
    "ドイツ向けにリスト該当の旋盤を出すけど、キャッチオールの確認も要る？",   # listed goods
    "北朝鮮向けにキャッチオールの確認は必要？",                  # a banned destination
])
def test_no_group_verdict_on_catch_all_otherwise(pack, q):
    first = pack.ask(q).answer.split("\n")[0]
    assert "客観要件は適用されません" not in first or not first.startswith("いいえ。"), first
    assert not first.startswith("はい。中小企業がグループA以外"), first


@pytest.mark.parametrize("q", [
    "英国向けでもキャッチオールのインフォーム要件は必要？",
    "ドイツの会社に非該当の部品を出す。インフォーム通知が来たらキャッチオールの許可は要る？",
    "カナダ向けでもリスト規制とキャッチオールの確認は要る？",
])
def test_no_group_a_no_when_the_inform_notice_or_the_list_is_asked(pack, q):
    assert "客観要件は適用されません" not in pack.ask(q).answer.split("\n")[0], q


@pytest.mark.parametrize("q", [
    "北朝鮮に直接じゃなくて中国の会社に売るんだけど、その先で北朝鮮に流れるかもって噂がある。3万円くらいの小口だし気にしなくていいかな？",
    "中国の商社経由で北朝鮮の工場に普通の部品を送る話。民生品だし金額も小さいから大丈夫？",          # f8-039, other voices
    "取引先の台湾企業が北朝鮮に転売するかもしれない。うちのは数万円の小口の汎用品だけど問題ある？",
    "北朝鮮の知人に日用品を少しだけ送りたい。安いものでもダメ？",
])
def test_a_ban_told_with_a_small_amount_or_ordinary_goods_says_it_holds_whatever(pack, q):
    ans = pack.ask(q).answer
    assert "全ての貨物" in ans and "金額" in ans, ans[:300]


@pytest.mark.parametrize("q", [
    "北朝鮮向けの輸出禁止はいつから？",
    "北朝鮮に転売されるおそれがある取引で確認することは？",
    "ロシア向けに工作機械を出せる？",
])
def test_no_scope_sentence_without_an_amount_or_ordinary_goods_told(pack, q):
    assert "品目、金額、用途、相手先にかかわらず" not in pack.ask(q).answer, q

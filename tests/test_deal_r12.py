"""Deal answers (round 12): the ask a deal question carries is settled first, for THAT destination or party
(anpo.screening; words in data/deal_fields.tsv):
- a ban's exception told as not the case (「人道用途とは関係ない」 "not for humanitarian use") asks of the ban itself: いいえ,
  never 条件次第 from the exception's sentence (screening.exception_denied);
- a way round a ban (「香港の商社を間に挟めば」「キルギス経由なら」 "routed through a Kazakh distributor") never changes its
  verdict: いいえ with the sentence banning the way through a third country (screening.ban_scope_sentences);
- a military party of a banned destination (国防省, "Ministry of Defence"): the ban on its specified entities joins the いいえ;
- the end user or use withheld and leave to ship asked because the goods are unlisted (「非該当だし出していい？」
  "The parts are unlisted, so can we ship?") or 「不明のままでも」: いいえ, confirm in writing first, not 「明らか」;
- a small amount said to let catch-all's checks be skipped: いいえ from 「少額の取引であっても…省略できません」;
- a deal's party asked to be checked against a list (「何かのリストと突き合わせといたほうがいい？」): はい, the End User List;
- technology shown to a foreign employee whose residence is in question: when he is a resident and the 特定類型 (一概には言えません);
  a 特定類型 told of him (兼業, a foreign government's talent programme) with leave asked: いいえ;
- unlisted goods outside Group A asked whether anything more is to be done: はい, catch-all's use/end-user and End User List checks;
- goods to a name of two countries (「コンゴ」) asked whether that changes anything: 一概には言えません, which one it is;
- a licence asked for a resident of a 特定類型 told: はい; a resident student: 特定類型②'s example (留学資金); being a resident
  given as the reason not to worry (「居住者だし気にしなくて大丈夫？」): いいえ, the 特定類型.
Each test fails when the behaviour it names is removed."""

from __future__ import annotations

import pytest

from anpo.screening import as_is_withheld, exception_denied, load_deal_fields
from test_deal_r11 import _first  # one helper for both rounds' tests

# every deal_fields row added in rounds 11 and 12 (one test for both rounds' rows)
ROWS = ("group_a_claim", "group_not_a_claim", "claim_reason", "group_word", "sameness_asked", "regardless_sentence",
        "exemption_word", "not_abroad", "concern_word", "concern_context", "abroad_place", "abroad_rule", "abroad_rule_not",
        "exemption_denied", "evasion_told", "evasion_sentence", "ban_party_sentence", "exception_told", "told_unlisted", "small_amount_told",
        "small_catch_all_sentence", "as_is_asked", "list_check_asked", "should_asked", "list_check_sentence", "resident_person",
        "residency_told", "tokutei1_told", "tokutei2_told", "resident_rule_sentence", "tokutei_sentence", "tokutei1_sentence",
        "tokutei2_sentence", "tokutei_licence_sentence", "anything_more_asked", "difference_asked", "tokutei2_person", "resident_reason", "tokutei_date_sentence")


@pytest.mark.parametrize("field", ROWS)
def test_each_row_has_three_examples_that_it_matches(field):
    from retrieval.textnorm import normalize
    pat, ex = next((p, e) for f, p, e in load_deal_fields() if f == field)
    assert len(ex) >= 3
    assert all(pat.search(normalize(x)) for x in ex), [x for x in ex if not pat.search(normalize(x))]


# ------------------------------------------------------------------ an exception told as not the case

@pytest.mark.parametrize("q,denied", [
    ("人道用途とは関係ない一般的な部品です", True),
    ("北朝鮮の会社に、人道目的じゃない普通の工具を送りたい", True),
    ("人道支援とは関係のない機械部品です", True),
    ("It's not for humanitarian use, just ordinary parts", True),
    ("人道目的なら北朝鮮に送れる？", False),
    ("ロシアの100%出資の現地法人向けなら出せる？", False),
    ("北朝鮮に部品を送りたい", False),
])
def test_an_exception_is_denied_only_when_told_as_not_the_case(q, denied):
    assert exception_denied(q) is denied


@pytest.mark.parametrize("q", [
    "北朝鮮向けの件です。人道用途とは関係ない一般的な部品で、ほんのわずかな金額だとしたら、送っても大丈夫ですか？",   # dp11-019
    "北朝鮮の会社に、人道目的じゃない普通の工具を少しだけ送りたい。いいですか？",
    "北朝鮮向けで、人道支援とは関係のない機械部品です。金額は数千円ですが送れますか？",
    "It's not for humanitarian use, just a tiny order of ordinary parts for North Korea. Can we send them?",
])
def test_a_ban_asked_with_its_exception_denied_is_no(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith(("いいえ。", "No.")), (tr.route, first)
    assert "例外" not in first and "exception" not in first.lower(), first


@pytest.mark.parametrize("q", ["北朝鮮に人道目的の物資を送るのもダメ？", "人道支援のためならロシアに医薬品を出してもいいですか？"])
def test_an_exception_asked_still_gets_its_sentence(pack, q):
    ans = pack.ask(q).answer
    assert "人道" in ans.split("\n")[0], ans[:200]


# ------------------------------------------------------------------ a way round a ban

@pytest.mark.parametrize("q", [
    "ロシアの客にベアリングを送りたいんだけど、カザフスタンの商社を間にかませればいけるよね？",
    "ベラルーシ向けの工作機械、トルコの代理店経由にすれば出荷できますか？",
    "ロシアの取引先が、アルメニアの会社を通せば問題ないと言っています。そうすれば出せますか？",
    "Could we ship the pumps to Russia if we route them through a distributor in Armenia?",
    "北朝鮮に送りたい部品があるが、中国の会社を経由すれば大丈夫？",
])
def test_a_ban_asked_with_a_way_round_it_is_no_with_the_third_country_sentence(pack, q):
    tr = pack.explain(q)
    ans = tr.answer.answer
    assert ans.split("\n")[0].startswith(("いいえ。", "No.")), (tr.route, ans[:200])
    assert "第三国" in ans or "third country" in ans, ans[:600]


@pytest.mark.parametrize("q", [
    "ロシア国防省向けの交換部品、カザフスタンの代理店経由なら出せる？",
    "Can we sell spare parts to Russia's Ministry of Defence through a trading company in Dubai?",
    "ロシア軍の関連工場にセンサーを少しだけ売ってもいい？",
])
def test_a_military_party_of_a_banned_destination_gets_the_specified_entities_sentence(pack, q):
    tr = pack.explain(q)
    ans = tr.answer.answer
    assert not ans.split("\n")[0].startswith(("条件次第", "一概には", "It depends")), (tr.route, ans[:200])
    assert "特定団体" in ans or "specified entities" in ans, ans[:800]


# ------------------------------------------------------------------ withheld, and unlisted so OK?

@pytest.mark.parametrize("q", [
    "A Dubai trader wants our spindle parts and won't say who ends up using them. The parts are unlisted, so can we ship?",
    "うちの非該当のバルブ、マレーシアの商社が買いたいって。用途は教えてくれないけど、非該当品だし出していい？",
    "These sensors aren't on any control list. The buyer in Pakistan refuses to name the end user — can we still send them?",
    "リスト外の部品だし、インドネシアの客がエンドユーザーを言わなくても送って大丈夫？",
])
def test_withheld_end_user_with_unlisted_goods_asked_leave_is_no(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith(("いいえ。", "No.")), (tr.route, first)
    assert any(w in tr.answer.answer for w in ("文書", "in writing")), tr.answer.answer[:400]


@pytest.mark.parametrize("q", [
    "用途は聞いても「言えない」の一点張りなんだけど、進めていい？",       # nothing told unlisted, no 「このまま」
    "タイの代理店に非該当のポンプを出荷していい？",                   # nothing withheld
])
def test_no_withheld_lead_without_both(q):
    assert not as_is_withheld(q, True)


# ------------------------------------------------------------------ a small amount and catch-all

@pytest.mark.parametrize("q", [
    "うちの非該当の小型測定器を、中国の大学の研究室が1台だけ買いたいそうです（だいたい15万円）。金額が小さいので、キャッチオールのチェックは省略しても構いませんよね？",
    "ベトナムの客に3万円くらいの小口で非該当の部品を売ります。少額だしキャッチオールの確認は省いていいよね？",
    "It's a small-value order of unlisted parts for a customer in Thailand, so we can skip the catch-all check, right?",
    "金額が100万円以下なら少額特例で許可いらないんだから、キャッチオールのほうも確認しなくて大丈夫？どうせ数十万の取引なんで",
])
def test_a_small_amount_never_skips_catch_all(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith(("いいえ。", "No.")), (tr.route, first)
    assert "キャッチオール" in first or "catch-all" in first.lower(), first


# ------------------------------------------------------------------ a party asked to be checked against a list

@pytest.mark.parametrize("q", [
    "タイの商社にポンプを売る予定です。相手の会社をリストで確認しておくべき？",
    "We're selling valves to a new buyer in Malaysia. Should we screen the buyer against a list?",
    "ベトナムの工場に部品を納めます。納入先の名前って何かのリストと照合しておく必要ある？",
])
def test_a_party_asked_to_be_checked_against_a_list_is_yes_with_the_end_user_list(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith(("はい。", "Yes.")), (tr.route, first)
    assert "外国ユーザーリスト" in tr.answer.answer or "End User List" in tr.answer.answer, tr.answer.answer[:300]


# ------------------------------------------------------------------ technology to a resident: 特定類型

@pytest.mark.parametrize("q", [
    "先月採用したベトナム人のエンジニア、まだ日本に来て4か月なんだけど、図面を見せても大丈夫？",
    "中国籍の新入社員（大阪の本社勤務）に設計データを見せたい。入国して半年たってないけど非居住者扱い？",
    "Our new Indian engineer has only been in Japan for three months. Is he still a non-resident if we show him our design data?",
])
def test_technology_to_a_new_foreign_employee_depends_on_the_specific_categories(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith(("一概には言えません。", "It depends.")), (tr.route, first)
    assert "特定類型" in tr.answer.answer or "specific categor" in tr.answer.answer, tr.answer.answer[:400]


@pytest.mark.parametrize("q", [
    "外国企業と兼業している社員に、リスト規制の技術資料を渡してもいいですか？",
    "Our new researcher is funded by a foreign government talent program. Can we share our controlled technology with him like any other employee?",
    "うちのエンジニア、週末は外国の会社でも副業してるんだけど、居住者だし設計図を見せても問題ないよね？",
])
def test_technology_to_a_resident_of_a_specific_category_is_no(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith(("いいえ。", "No.")), (tr.route, first)
    assert "特定類型" in first or "specific category" in first, first


# ------------------------------------------------------------------ unlisted goods outside Group A: anything more?

@pytest.mark.parametrize("q", [
    "タイの工場に樹脂部品を出します。該非判定は非該当でした。念のため他にやるべきことってありますか？",
    "インドネシアの会社に非該当のゴム部品を輸出する予定。ほかに何か確認すべきことはある？",
    "We're shipping unlisted plastic parts to a factory in Vietnam. Is there anything else we should do?",
])
def test_unlisted_goods_outside_group_a_still_have_catch_all_checks(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith(("はい。", "Yes.")), (tr.route, first)
    assert any(w in tr.answer.answer for w in ("外国ユーザーリスト", "End User List")), tr.answer.answer[:400]


# ------------------------------------------------------------------ a name of two countries: does the treatment change?

@pytest.mark.parametrize("q", [
    "コンゴの鉱山会社からバルブの注文。書類にはCongoとしか書いてないけど、何か違いがある？",
    "We got an order for pumps from a water utility in 'Congo' — the papers don't say which one. Does that change anything?",
    "コンゴの会社にモーターを売ります。Congoとしか書いてないんだけど、扱いは変わりますか？",
])
def test_goods_to_a_name_of_two_countries_asked_if_it_changes_anything_depends_on_which(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith(("一概には言えません。", "It depends.")), (tr.route, first)
    assert "コンゴ民主共和国" in tr.answer.answer or "Democratic Republic of the Congo" in tr.answer.answer, tr.answer.answer[:300]


@pytest.mark.parametrize("q", [
    "外国政府の人材獲得プログラムから生活費をもらっている研究者を採用する。居住者になるけど、リスト規制の技術を見せるには許可が要る？",
    "We're hiring a researcher whose living costs are paid by a foreign government's talent program. Once he's a resident, do we still need a licence to share our controlled technology?",
    "兼業で外国の会社の仕事もしている社員。居住者なんだけど、規制技術を渡すのに許可は必要ですか？",
])
def test_a_licence_asked_for_a_resident_of_a_specific_category_is_yes(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith(("はい。", "Yes.")), (tr.route, first)
    assert any(w in tr.answer.answer for w in ("許可", "licence")), tr.answer.answer[:300]


@pytest.mark.parametrize("q", [
    "うちの研究室に来てる留学生、もう日本に来て2年。図面を見せても大丈夫？",
    "設計課でアルバイトしている留学生、来日して1年たってるんだけど、設計データを触らせても問題ない？",
    "A foreign student who has been in Japan for two years works part-time in our design team. Can he see our drawings?",
])
def test_technology_to_a_resident_student_names_the_student_example(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith(("一概には言えません。", "It depends.")), (tr.route, first)
    assert "留学資金" in tr.answer.answer or "study funding" in tr.answer.answer, tr.answer.answer[:500]


@pytest.mark.parametrize("q", [
    "もう日本で5年働いてるインド人の技術者なんで居住者だし、設計データを見せても何も問題ないですよね？",
    "Since he's a resident, we don't need to worry about showing our drawings to our Chinese engineer in Osaka, right?",
    "ベトナム出身の社員は本社勤務の居住者なので、図面を渡しても大丈夫ですよね？",
])
def test_being_a_resident_given_as_the_reason_not_to_worry_is_no(pack, q):
    tr, first = _first(pack, q)
    assert first.startswith(("いいえ。", "No.")), (tr.route, first)
    assert "特定類型" in first or "specific categor" in first, first

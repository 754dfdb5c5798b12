"""The answer's first sentence: checked polarity, false premises corrected, connectives,
definitions first, caveats only for what the lead relies on (anpo.leads, anpo.compose,
anpo.citations).  The table rows' examples run here; the pipeline tests use the real pack."""

from __future__ import annotations

import re
from datetime import date

import pytest

from anpo import leads
from anpo.analysis import asked_sentence
from anpo.citations import finalize
from anpo.compose import Cand, Draft, Lead, render
from retrieval.textnorm import normalize

from lead_checks import assert_led, first_line as _first_line
from retrieval.types import Chunk, Hit

RULES = leads.rules()
FAMILY_EXAMPLES = [(f.name, e) for f in RULES.families for e in f.examples]


# ----------------------------------------------------------------- the tables' examples

@pytest.mark.parametrize("name,ex", FAMILY_EXAMPLES, ids=[e["q"][:20] for _, e in FAMILY_EXAMPLES])
def test_family_rows_serve_their_examples(name, ex):
    fam, neg = leads.asked(ex["q"])
    assert fam is not None and fam.name == name
    if "neg" in ex:
        assert neg == ex["neg"]
    assert leads.stance(ex["s"], fam) == ex["stance"]


def test_every_family_carries_three_examples_and_both_stances():
    for f in RULES.families:
        assert len(f.examples) >= 3, f.name
        assert {"+", "-"} <= {e["stance"] for e in f.examples}, f.name


@pytest.mark.parametrize("ex", RULES.raw["connective_examples"], ids=lambda e: e["s"][:8])
def test_a_connective_is_dropped_from_a_sentence_that_stands_alone(ex):
    assert leads.alone(ex["s"]) == ex["alone"]


def test_a_sentence_without_a_connective_is_unchanged():
    s = "また貸しは認められません。"          # 「また」 as a word, not a connective (no 「、」)
    assert leads.alone(s) == s


@pytest.mark.parametrize("ex", RULES.raw["definition_examples"], ids=lambda e: e["q"][:10])
def test_definition_rows_serve_their_examples(ex):
    t = leads.definition_term(ex["q"])
    assert t == ex["t"]
    if t:
        assert leads.defines(ex["s"], [t])


def test_a_sentence_that_only_mentions_the_term_does_not_define_it():
    assert not leads.defines("該非判定は常に最新のリストで行う必要があります。", ["該非判定"])
    assert not leads.defines("キャッチオール規制は「大量破壊兵器キャッチオール」と「通常兵器キャッチオール」の2種類から成ります。",
                             ["キャッチオール規制"])


# ----------------------------------------------------------------- the check on はい/いいえ

NEGATING = [   # (question, a sentence that negates the asked clause)
    ("CPを作るのは法律上の義務ですか？", "輸出管理内部規程（CP）の策定と経済産業省への届出は任意とされています。"),
    ("グループA向けにも客観要件は適用されますか？", "グループA向けの貨物の輸出には、キャッチオール規制の客観要件は適用されません。"),
    ("外国ユーザーリストの会社には輸出できますか？", "北朝鮮向けの輸出は、全ての貨物について禁止されています。"),
    ("留学生に教えるのもみなし輸出の対象になる？", "居住者として扱われる外国人への技術提供は、従来の「みなし輸出」管理の対象外でした。"),
]
STATING_AGAINST_NEGATIVE = [   # (a negative question / premise, a sentence that states the asked predicate)
    ("サンプルは無償だから輸出には当たらないですよね？", "無償のサンプルを海外に提供することも、貨物の輸出に当たります。"),
    ("グループA向けなら許可はいらないよね？", "このため、グループA向けであっても、リスト規制に該当する貨物の輸出には許可が必要です。"),
    ("非該当ならキャッチオールの確認はしなくていい？", "非該当となった後も、キャッチオール規制の確認を続ける必要があります。"),
]


@pytest.mark.parametrize("q,s", NEGATING)
def test_yes_never_precedes_a_sentence_that_negates_the_asked_clause(q, s):
    assert not leads.agrees("はい。", q, s)
    assert leads.agrees("いいえ。", q, s)


@pytest.mark.parametrize("q,s", STATING_AGAINST_NEGATIVE)
def test_no_precedes_a_sentence_that_states_what_a_negative_question_denies(q, s):
    assert leads.agrees("いいえ。", q, s)
    assert not leads.agrees("はい。", q, s)


def test_no_never_precedes_a_sentence_that_agrees_with_a_negative_premise():
    q = "留学生は日本に住んでるんだから、技術を教えてもみなし輸出にはならないでしょ？"
    s = "運用明確化（2022年5月1日適用）より前は、居住者として扱われる外国人への国内での技術提供は、みなし輸出管理の対象外とされていました。"
    assert not leads.agrees("いいえ。", asked_sentence(normalize(q)), s)


@pytest.mark.parametrize("q,s", [
    ("包括許可があれば個別の許可はいらないの？", "少額特例が使えるかどうかは、包括許可を使う前に確認する必要があります。"),
    ("包括許可があれば個別の許可はいらないの？", "一般包括許可を取得した後、用途に懸念がある場合は、輸出の前に経済産業大臣への届出が必要で、届出先は審査課です。"),
    ("うちで判定しなくても大丈夫ですよね？", "該非判定で「非該当」となった後も、キャッチオール規制の確認を続ける必要があります。"),
])
def test_a_need_of_something_else_neither_confirms_nor_denies(q, s):
    # 「許可はいらない？」 is not answered by 「確認が必要」 or 「届出が必要」
    assert not leads.agrees("いいえ。", q, s) and not leads.agrees("はい。", q, s)
    assert leads.polar_word(q, s) == ""


@pytest.mark.parametrize("q,s", [
    ("ドイツ向けならグループAだし、何を送っても許可は不要でしょ？", "このため、グループA向けであっても、リスト規制に該当する貨物の輸出には許可が必要です。"),
    ("5万円くらいの小口の出荷だから、キャッチオールの確認は省いていいよね", "少額の取引であっても、キャッチオール規制の確認は省略できません。"),
    ("非該当なら判定書の確認はしなくていい？", "製造者の該非判定書を使う場合でも、輸出者は判定結果の内容を自らの責任で確認しなければなりません。"),
])
def test_a_need_of_the_asked_thing_answers(q, s):
    assert leads.polar_word(q, s) == "いいえ。"


def test_not_necessarily_corrects_a_negative_premise_only():
    s = "非該当品であっても、許可なく輸出できるとは限りません。"
    assert leads.agrees("いいえ。", "非該当なら許可はいらないよね？", s)
    assert not leads.agrees("はい。", "非該当品の輸出に許可は必要ですか？", s)


# ----------------------------------------------------------------- through the pipeline (real pack)

def _lead_word(line: str) -> str:
    return next((w for w in ("はい。", "いいえ。", "一概には言えません。") if line.startswith(w)), "")


def _body(line: str) -> str:
    return re.sub(r"\s*\[\d+\]", "", line).removeprefix(_lead_word(line))


# Questions written for this test the way SME owners and seminar attendees ask (not from the eval sets).
REALISTIC = [
    "うちは社員20人の町工場で、CP（内部規程）を作れって取引先に言われたんだけど、これって法律で義務なんですか？",
    "韓国はホワイト国に戻ったんだから、韓国向けならリスト規制品でも許可いらないよね？",
    "ドイツ向けならグループAだし、何を送っても許可は不要でしょ？",
    "メーカーが非該当って言ってるんだから、うちで判定しなくても大丈夫ですよね？",
    "サンプルは無償だから輸出には当たらないですよね？",
    "展示会で持って行ってすぐ持ち帰るなら輸出にならないよね？",
    "留学生は日本に住んでるんだから、技術を教えてもみなし輸出にはならないでしょ？",
    "少額特例があるから、安いものなら何でも許可なしで出せるんでしょ？",
    "非該当品ならキャッチオールは気にしなくていいんですよね？",
    "外国ユーザーリストに載ってる会社とは取引しちゃダメなんだよね？",
    "子会社が中国にあって、そこに図面をメールで送るのは技術の提供になりますか？",
    "グループAの国に輸出するときもキャッチオールの確認は必要？",
    "うちの若手がベトナムの子会社に設計図をメールで送ってたんですが、それって技術の提供？",
    "社長が海外出張で試作品をカバンに入れて持っていくらしい。手荷物でも輸出？",
    "ずっと取引してるドイツの会社なんですけど、グループAなら用途の確認はいらないんだよね？",
    "包括許可って誰でも使えるの？",
    "Korea is Group A, so we don't need to check anything, right?",
]


@pytest.mark.parametrize("q", REALISTIC)
def test_a_lead_word_never_contradicts_its_own_sentence(pack, q):
    a = pack.ask(q)
    line = _first_line(a)
    word = _lead_word(line)
    if word in ("はい。", "いいえ。"):
        assert leads.agrees(word, asked_sentence(normalize(q)), _body(line)), line


PREMISES = [   # ≥ 6 wordings over ≥ 3 topics: each gets 「いいえ」 + the sentence that contradicts it
    ("韓国はホワイト国に戻ったんだから、韓国向けならリスト規制品でも許可いらないよね？", "許可が必要"),            # destinations
    ("ドイツ向けならグループAだし、何を送っても許可は不要でしょ？", "許可が必要"),
    ("メーカーが非該当って言ってるんだから、うちで判定しなくても大丈夫ですよね？", "判定を見直す必要"),            # classification
    ("非該当品ならキャッチオールは気にしなくていいんですよね？", "確認する必要"),
    ("サンプルは無償だから輸出には当たらないですよね？", "輸出に当たります"),                                    # what an export is
    ("展示会で持って行ってすぐ持ち帰るなら輸出にならないよね？", "輸出に当たります"),
    ("少額特例があるから、安いものなら何でも許可なしで出せるんでしょ？", "対象品のまま"),                          # exemptions
    ("CPって作るのは法律で義務なんですか？", "任意"),                                                             # obligations
]


@pytest.mark.parametrize("q,says", PREMISES)
def test_a_false_premise_gets_no_and_the_sentence_that_contradicts_it(pack, q, says):
    line = _first_line(pack.ask(q))
    assert line.startswith("いいえ。"), line
    assert says in line and re.search(r"\[\d+\]", line)


@pytest.mark.parametrize("q,says", [
    ("うちの若手がベトナムの子会社に設計図をメールで送ってたんですが、それって技術の提供？", "技術"),
    ("社長が海外出張で試作品をカバンに入れて持っていくらしい。手荷物でも輸出？", "輸出に当たります"),
])
def test_a_long_question_whose_asked_clause_is_short_still_gets_its_lead(pack, q, says):
    assert_led(pack, q, "はい。", says, cited=True)


@pytest.mark.parametrize("q,defining", [
    ("外国ユーザーリストとは", "外国ユーザーリストは、"),
    ("グループAって何？", "グループAとは"),
    ("公知の技術とはどういうものですか", "公知の技術とは"),
    ("インフォーム通知って何？", "インフォーム要件とは"),
    ("キャッチオール規制って何ですか", "リスト規制貨物は"),        # 「…キャッチオール規制は…を補完する位置づけです」
    ("みなし輸出って何？", "みなし輸出管理は"),
    ("きゃっちおーるきせいって何のこと？", "リスト規制貨物は"),
])
def test_a_definition_question_is_led_by_the_defining_sentence(pack, q, defining):
    assert _first_line(pack.ask(q)).startswith(defining)


def test_a_lead_never_opens_with_a_connective_that_refers_to_an_unquoted_sentence(pack):
    for q in ("韓国はホワイト国に戻ったんだから、韓国向けならリスト規制品でも許可いらないよね？",
              "メーカーが非該当って言ってるんだから、うちで判定しなくても大丈夫ですよね？"):
        assert not RULES.connective.match(_body(_first_line(pack.ask(q))))


# ----------------------------------------------------------------- caveats

def _chunk(cid: str, text: str, confirmed: bool, when: str = "2026-01-01") -> Chunk:
    return Chunk(chunk_id=cid, doc_id=cid, title=cid, locator="本文", text=text, search_text=text, embed_text=text,
                 url=None, effective_date=when, issuer="経済産業省", confirmed=confirmed)


def test_an_unconfirmed_source_is_flagged_only_when_the_lead_relies_on_it():
    hits = [Hit(_chunk("p", "リスト規制品は許可が必要です。", True), 1.0, 1),
            Hit(_chunk("u", "補足として許可が必要とされます。", False), 0.5, 2)]
    relies = finalize("q", "extractive", Draft("はい。補足として許可が必要とされます。 [2]\nリスト規制品は許可が必要です。 [1]", {}), hits,
                      today=date(2026, 6, 1))
    assert "一次資料で確認できていない" in relies.answer
    not_lead = finalize("q", "extractive", Draft("はい。リスト規制品は許可が必要です。 [1]\n補足として許可が必要とされます。 [2]", {}), hits,
                        today=date(2026, 6, 1))
    assert "一次資料で確認できていない" not in not_lead.answer


def test_no_unconfirmed_caveat_when_a_primary_source_states_the_same_sentence():
    text = "大韓民国はグループAです。"
    hits = [Hit(_chunk("u", text, False), 1.0, 1), Hit(_chunk("p", "仕向地の区分：" + text, True), 0.5, 2)]
    a = finalize("q", "extractive", Draft(f"{text} [1][2]", {1: ((0, len(text)),)}), hits, today=date(2026, 6, 1))
    assert "一次資料で確認できていない" not in a.answer


def test_at_most_one_date_caveat_and_only_for_the_leads_source():
    hits = [Hit(_chunk("new", "新しい文です。", True, "2026-05-01"), 1.0, 1),
            Hit(_chunk("old", "古い文です。", True, "2020-01-01"), 0.5, 2),
            Hit(_chunk("old2", "もっと古い文です。", True, "2019-01-01"), 0.4, 3)]
    a = finalize("q", "extractive", Draft("新しい文です。 [1]\n古い文です。 [2]\nもっと古い文です。 [3]", {}), hits,
                 today=date(2026, 6, 1))
    assert "時点の情報です" not in a.answer
    b = finalize("q", "extractive", Draft("古い文です。 [2]\nもっと古い文です。 [3]", {}), hits, today=date(2026, 6, 1))
    assert b.answer.count("時点の情報です") == 1


def test_provenance_notes_never_reach_the_answer_text(pack):
    for q in ("韓国ってグループAだっけ？", "ドイツはホワイト国ですか？"):
        a = pack.ask(q)
        assert not re.search(r"写しで確認|原本では照合|二次情報による|（未確認）", a.answer), a.answer


def test_render_keeps_a_connective_after_the_sentence_it_refers_to():
    text = "リスト規制品は許可が必要です。\nこのため、グループA向けでも許可が必要です。"
    s2 = text.index("このため")
    a = Cand(1.0, 1.0, 1, 0, text.index("\n"), text[:text.index("\n")])
    b = Cand(0.9, 1.0, 1, s2, len(text), text[s2:])
    together = render(Lead("", None), [a, b]).text
    assert "このため、グループA" in together
    alone_ = render(Lead("いいえ。", b), [b]).text
    assert alone_.startswith("いいえ。グループA向けでも")


@pytest.mark.parametrize("q", ["5万円くらいの小口の出荷だから、キャッチオールの確認は省いていいよね",
                               "少額の取引なので、キャッチオールの確認は省略してもいいですよね？",
                               "急ぎの出荷だから、今回は取引審査を省いても大丈夫でしょ？"])
def test_asking_to_skip_a_check_is_a_not_needed_premise(q):
    from anpo.analysis import analyse
    assert analyse(q).premise == "not_needed"


@pytest.mark.parametrize("q,cond", [
    ("輸出許可の申請って無料ですか？", "実地調査"),
    ("海外の展示会で配るカタログに技術データを載せても大丈夫？", "海外子会社に設計図"),
])
def test_it_depends_only_with_a_condition_that_speaks_of_the_asked_clause(pack, q, cond):
    line = _first_line(pack.ask(q))
    assert not (line.startswith("一概には言えません。") and cond in line), line


@pytest.mark.parametrize("q,word", [
    ("北朝鮮にはどんなものでも輸出できないんですよね？", "はい。"),        # asked the negative, all goods banned
    ("北朝鮮に中古の工作機械を輸出できますか？", "いいえ。"),
    ("北朝鮮への輸出って禁止されてるの？", "はい。"),
])
def test_a_ban_is_answered_for_the_way_it_is_asked(pack, q, word):
    assert_led(pack, q, word, "禁止")


def test_a_partial_ban_does_not_confirm_that_nothing_may_be_sent():
    from anpo.compose import ban_word
    partial = "ロシアとベラルーシ向けには、国際輸出管理レジームの対象品目（工作機械、炭素繊維など）の輸出が禁止されています。"
    assert ban_word("ベラルーシには何も送れないんでしょ？", partial) == "いいえ。"
    assert ban_word("北朝鮮とは一切取引できないよね？", "北朝鮮との輸出入は、第三国経由を含めて禁止されています。") == "はい。"


@pytest.mark.parametrize("q", ["キャッチオール規制ってグループAにも適用される？",
                               "Does the catch-all control apply to Group A countries?",
                               "グループA向けの輸出でもキャッチオールは適用されるの？"])
def test_no_where_another_sentence_states_it_under_a_condition_is_it_depends(pack, q):
    line = _first_line(pack.ask(q))
    assert line.startswith(("一概には言えません。", "It depends")), line
    assert re.search(r"場合|only where|when", line) and re.search(r"\[\d+\]", line)


def test_a_true_premise_stated_outright_by_the_closest_sentence_is_confirmed(pack):
    # the pack says so in the sentence's main clause, without a condition: はい with it, not a
    # いいえ from a sentence about technology in general
    line = _first_line(pack.ask("公知の技術なら許可はいらないって本当？"))
    assert line.startswith("はい。") and "公知の技術" in line and "不要" in line, line


def test_a_true_premise_under_a_condition_is_not_confirmed(pack):
    # 「…100万円以下の場合は…」 is a condition: never a bare はい to "no licence needed"
    line = _first_line(pack.ask("100万円以下の輸出なら少額特例で何でも許可いらないんでしょ？"))
    assert not line.startswith("はい。"), line


@pytest.mark.parametrize("q,word", [("ベラルーシに中古の工作機械を送るのも同じ扱い？", "はい。"),
                                    ("ロシア向けの半導体も対象になる？", "はい。"),
                                    ("ロシアに工作機械を輸出できますか？", "いいえ。")])
def test_a_ban_asked_whether_it_covers_something_answers_yes(q, word):
    from anpo.compose import ban_word
    s = "ロシアとベラルーシ向けには、国際輸出管理レジームの対象品目（工作機械、炭素繊維など）の輸出が禁止されています。"
    assert ban_word(q, s) == word


@pytest.mark.parametrize("q", ["Does that mean we can't trade with them at all?",
                               "So does this mean we need a licence for every shipment?",
                               "One of our customers is on the End User List. Does that mean we must stop?"])
def test_does_that_mean_is_a_yes_no_question_not_a_definition(q):
    from anpo.analysis import analyse
    assert "definition" not in analyse(q).intents


@pytest.mark.parametrize("q", ["韓国はグループAに戻ったから、韓国向けなら許可は一切いらないよね？",
                               "サンプルなら手続きは全く不要でしょ？",
                               "非該当品なら輸出管理は何も関係ないよね？"])
def test_an_intensified_not_needed_premise_is_read_and_its_intensifier_leaves_the_topic(q):
    from anpo.analysis import analyse
    a = analyse(q)
    assert a.premise == "not_needed"
    assert not re.search("一切|全く|何も", a.topic), a.topic


def test_the_korea_premise_is_corrected_not_refused(pack):
    line = _first_line(pack.ask("韓国はグループAに戻ったから、韓国向けなら許可は一切いらないよね？"))
    assert line.startswith("いいえ。") and "許可が必要" in line, line


@pytest.mark.parametrize("q", ["Is it okay to ship drones to Russia if they are for civilian use?",
                               "Is it all right to send machine tools to Belarus?",
                               "ロシアに民生用のドローンを送っても大丈夫？"])
def test_asked_whether_it_is_ok_to_ship_to_a_banned_destination_the_answer_is_no(pack, q):
    assert _first_line(pack.ask(q)).startswith(("いいえ。", "No.")), pack.ask(q).answer


def test_an_english_definition_is_led_only_by_a_sentence_defining_its_own_term(pack):
    # 「What is the penalty…」 asks about 罰則: a sentence defining リスト規制 or 輸出 must not lead
    line = _first_line(pack.ask("What is the penalty for exporting without permission?"))
    assert not line.startswith("List control is"), line


# ----------------------------------------------------------------- exemptions

@pytest.mark.parametrize("ex", RULES.raw["exemption_examples"], ids=lambda e: e["q"][:14])
def test_a_sentence_about_an_exemption_leads_only_questions_that_name_it(ex):
    assert leads.about_exemption(ex["q"], ex["s"]) == (not ex["leads"])
    if not ex["leads"]:
        assert not leads.agrees("はい。", ex["q"], ex["s"]) and not leads.agrees("いいえ。", ex["q"], ex["s"])


def test_every_exemption_row_serves_three_questions():
    for row in RULES.raw["exemptions"]:
        hits = [e for e in RULES.raw["exemption_examples"]
                if not e["leads"] and re.search(row["sentence"], leads.main_clause(e["s"]))]
        assert len({e["q"] for e in hits}) >= 3, row


@pytest.mark.parametrize("ex", RULES.raw["group_examples"], ids=lambda e: e["q"][:14])
def test_a_question_naming_a_control_besides_the_group_does_not_ask_the_group(ex):
    assert leads.group_is_premise(asked_sentence(normalize(ex["q"]))) == (not ex["asks_group"])


@pytest.mark.parametrize("ex", RULES.raw["ban_examples"], ids=lambda e: e["s"][:14])
def test_a_ban_answers_for_a_product_only_when_it_names_it_or_bans_all_goods(ex):
    assert leads.ban_covers(leads.split_names(ex["products"]), ex["s"]) == ex["covers"]


@pytest.mark.parametrize("q", ["Do export bans on Russia cover 3D printers?",
                               "ロシアへの輸出禁止って金属3Dプリンタも入る？",
                               "Can we send 3D printers to Russia, or is that banned too?"])
def test_a_ban_of_other_items_gives_no_word_for_the_asked_product(pack, q):
    line = _first_line(pack.ask(q))
    if line.startswith(("いいえ。", "No.", "はい。", "Yes.")):
        assert re.search("3d|積層|3D", line, re.I), line


@pytest.mark.parametrize("q,s,other", [
    ("グループAなら客観要件は適用されないの？", "グループCの国・地域向けの輸出には、リスト規制に加えてキャッチオール規制の客観要件とインフォーム要件が適用されます。", True),
    ("ホワイト国向けでもキャッチオールの確認は必要ですか？", "グループD向けの輸出では、キャッチオール規制の確認が必要です。", True),
    ("Does the objective requirement apply to Group A?", "グループB向けには客観要件が適用されます。", True),
    ("グループAなら客観要件は適用されないの？", "グループA（輸出令別表第3の地域）向けの貨物の輸出には、キャッチオール規制の客観要件は適用されません。", False),
    ("グループBも対象？", "グループA・B・Dのいずれにも当たらない国・地域がグループCです。", False),
    ("客観要件は適用されないの？", "グループCの国・地域向けの輸出には、客観要件が適用されます。", False),
])
def test_a_sentence_about_another_country_group_gives_no_lead(q, s, other):
    assert leads.other_group(q, s) == other
    if other:
        assert not leads.agrees("はい。", q, s) and not leads.agrees("いいえ。", q, s)


@pytest.mark.parametrize("q,s,ok", [
    ("外為法違反しても罰金だけで済むんでしょ？", "輸出者等遵守基準に関して罰則の対象となるのは、経済産業大臣の命令に違反した場合だけです。", False),
    ("展示会に持っていくのも技術提供？", "展示会に出品するために製品を一時的に海外へ持ち出すことも、貨物の輸出に当たります。", False),
    ("見本市で配るカタログも役務取引？", "展示会に出品するために製品を一時的に海外へ持ち出すことも、貨物の輸出に当たります。", False),
    ("社長が試作品を持っていくらしい。手荷物でも輸出？", "製品を手荷物として自ら海外へ持ち出す「ハンドキャリー」も、貨物の輸出に当たります。", True),
    ("設計図をメールで送った。それって技術の提供？", "海外子会社に設計図を送ることは、外国において技術を提供する取引に当たるため、送る前に技術の該非判定を行う必要があります。", True),
])
def test_a_copula_question_is_answered_only_by_a_sentence_naming_its_complement(q, s, ok):
    assert leads.agrees("はい。", asked_sentence(normalize(q)), s) == ok


@pytest.mark.parametrize("ex", RULES.raw["exclusive_examples"], ids=lambda e: e["q"][:14])
def test_an_only_question_is_answered_no_only_by_a_sentence_extending_the_rule(ex):
    q = asked_sentence(normalize(ex["q"]))
    assert leads.exclusive(q)
    got = [w for w in ("はい。", "いいえ。") if leads.agrees(w, q, ex["s"])]
    assert got == ([ex["word"]] if ex["word"] else []), got


@pytest.mark.parametrize("q", RULES.raw["not_exclusive"])
def test_just_doing_x_is_no_only_question(q):
    assert not leads.exclusive(asked_sentence(normalize(q)))


def test_a_copula_complement_is_matched_by_its_parts():
    # 「…載っている相手とは取引禁止ですよね？」: 取引 is stated though 取引禁止 is not written as one word
    q = asked_sentence(normalize("外国ユーザーリストに載っている相手とは取引禁止ですよね？"))
    assert leads.agrees("いいえ。", q, "外国ユーザーリストの掲載先との取引は直ちに禁止されるものではありません。")


@pytest.mark.parametrize("q,s", [
    ("外国ユーザーリストに名前が載ってるっぽい。これってもう取引しちゃダメってことなんですか",
     "外国ユーザーリストとの照合では、最終需要者だけでなく、輸入者（荷受人）や仲介者など取引に関わる相手先の名称も確認するのが一般的です。"),
    ("非該当なら許可はいらないってこと？", "該非判定は常に最新のリストで行う必要があります。"),
    ("包括許可があれば個別の許可はいらないの？", "一般包括許可は、グループA向けの、機微度が比較的低い品目に使える包括許可です。"),
])
def test_a_yes_to_a_negative_question_needs_a_sentence_that_says_the_negative(q, s):
    assert not leads.agrees("はい。", asked_sentence(normalize(q)), s)


# ----------------------------------------------------------------- "can we get / use X?"

CAN_GET = [   # "can we get / use X?" and a sentence that says something is needed (another predicate)
    ("包括許可は小さい会社でも取れるの？", "一般包括許可で輸出した貨物等がその他の軍事用途に用いられる（疑いがある）場合は、事後に経済産業大臣への報告（NACCSの「包括報告」）が必要です。"),
    ("うちみたいな中小でも一般包括許可って受けられる？", "一般包括許可で輸出した貨物等がその他の軍事用途に用いられる（疑いがある）場合は、事後に経済産業大臣への報告（NACCSの「包括報告」）が必要です。"),
    ("ベトナム向けの輸出に一般包括許可は使えますか？", "特別一般包括許可の申請者の要件には、輸出管理内部規程（CP）に基づく社内審査を実施していることが含まれます。"),
    ("タイに出すときも包括許可でいけるよね？", "一般包括許可で輸出した貨物等がその他の軍事用途に用いられる（疑いがある）場合は、事後に経済産業大臣への報告（NACCSの「包括報告」）が必要です。"),
]


@pytest.mark.parametrize("q,s", CAN_GET)
def test_can_we_get_it_is_not_answered_yes_by_a_sentence_about_another_predicate(q, s):
    fam, _ = leads.asked(asked_sentence(normalize(q)))
    assert fam is not None and fam.name == "can"
    assert not leads.agrees("はい。", asked_sentence(normalize(q)), s)


@pytest.mark.parametrize("q", [q for q, _ in CAN_GET])
def test_can_we_get_it_gets_no_yes_from_a_need_sentence_through_the_pipeline(pack, q):
    line = _first_line(pack.ask(q))
    assert not (line.startswith("はい。") and "必要" in line), line


def test_a_can_sentence_still_answers_can_we_use_it():
    s = "一般包括許可は、グループA向けの、機微度が比較的低い品目に使える包括許可です。"
    assert leads.agrees("はい。", "グループa向けなら包括許可は使える?", s)


# ----------------------------------------------------------------- the country's group, from the tables

GROUP_A_ONLY = "グループA（輸出令別表第3の地域）向けの貨物の輸出や技術の提供には、キャッチオール規制の客観要件は適用されません。"


@pytest.mark.parametrize("q,groups", [
    ("台湾向けの輸出にもキャッチオール規制は適用されますか？", {"c"}),
    ("Does catch-all apply to exports to Taiwan?", {"c"}),
    ("中国に出すときは客観要件って関係ない？", {"c"}),
    ("イラク向けでも客観要件は適用されないの？", {"d"}),
])
def test_a_sentence_about_another_group_than_the_named_countrys_gives_no_lead(q, groups):
    asked = asked_sentence(normalize(q))
    assert not leads.agrees("はい。", asked, GROUP_A_ONLY, frozenset(groups))
    assert not leads.agrees("いいえ。", asked, GROUP_A_ONLY, frozenset(groups))
    assert leads.other_group(asked, GROUP_A_ONLY, frozenset({"a"})) is False     # ドイツ: its own group


def test_group_a_igai_names_the_other_groups():
    assert leads.groups("グループA以外の国・地域へ非該当品を輸出する場合") == {"b", "c", "d"}
    assert not leads.other_group("台湾向けは?", "グループA以外の国・地域向けには確認が必要です。", frozenset({"c"}))


@pytest.mark.parametrize("q", ["台湾向けの輸出にもキャッチオール規制は適用されますか？",
                               "Does catch-all apply to exports to Taiwan?",
                               "中国向けの輸出ってキャッチオールの対象？"])
def test_a_country_outside_group_a_is_not_answered_by_what_holds_for_group_a(pack, q):
    line = _first_line(pack.ask(q))
    if line.startswith(("いいえ。", "No.", "はい。", "Yes.", "一概には言えません。", "It depends.")):
        assert not re.search(r"グループA(?!以外)|Group A(?! only)", line) or re.search(r"グループA以外|outside Group A", line), line


# ----------------------------------------------------------------- bans: exceptions, "any restrictions?"

@pytest.mark.parametrize("ex", RULES.raw["ban_exception_examples"], ids=lambda e: e["q"][:14])
def test_a_ban_exception_row_serves_its_examples(ex):
    assert leads.ban_exception(ex["q"], ex["s"]) == ex["states"]


def test_every_ban_exception_row_serves_three_questions():
    for row in RULES.raw["ban_exceptions"]:
        qs = {e["q"] for e in RULES.raw["ban_exception_examples"] if e["states"] and re.search(row["question"], normalize(e["q"]), re.I)}
        assert len(qs) >= 3, row


def first_line_of(pack, q):
    return _first_line(pack.ask(q))


@pytest.mark.parametrize("q,says", [
    ("ロシア向け医療機器、人道目的なら大丈夫？", "人道"),
    ("人道支援のためならロシアに医薬品を出してもいいですか？", "人道"),
    ("北朝鮮に人道目的の物資を送るのもダメ？", "人道"),
    ("ベラルーシの現地法人向けなら輸出できますか？", "現地法人"),
    ("うちの100%子会社がロシアにあるんだけど、そこ向けでも出せない？", "100%出資"),
])
def test_a_ban_asked_about_its_exception_depends_with_the_exception_cited(pack, q, says):
    assert_led(pack, q, ("条件次第です。", "一概には言えません。"), says, cited=True)
    assert not first_line_of(pack, q).startswith("一概には言えません"), "a banned destination's exception is 条件次第です"


@pytest.mark.parametrize("q,word", [
    ("ベラルーシへの輸出規制はありますか？", "はい。"),
    ("北朝鮮向けに制限ってある？", "はい。"),
    ("Are there export restrictions on Belarus?", "Yes."),
])
def test_asked_whether_a_banned_destination_has_restrictions_the_answer_is_yes(pack, q, word):
    assert_led(pack, q, word)


@pytest.mark.parametrize("q", [
    "A colleague says that, thanks to the small-value exemption, catch-all checks can be skipped for cheap orders. Is that correct?",
    "I heard the small-value exemption means no catch-all screening is needed for cheap parts. Is that true?",
    "少額特例があるので、安い部品ならキャッチオールの確認は省略できると聞きました。合ってますか？",
])
def test_an_exemption_named_before_the_asked_sentence_still_lets_its_sentence_correct_the_premise(pack, q):
    assert_led(pack, q, ("No.", "いいえ。"), re.compile(r"small-value|少額"))


# ----------------------------------------------------------------- an exemption's case described, not named

@pytest.mark.parametrize("ex", RULES.raw["exemption_word_examples"], ids=lambda e: e["q"][:14])
def test_a_question_describing_an_exemptions_case_is_answered_by_the_exemption_holding(ex):
    assert leads.exemption_word(ex["q"], ex["s"]) == ex["word"]


@pytest.mark.parametrize("q", ["ネットで公開済みの技術も規制される？",
                               "学会で発表済みの内容を海外の研究者に説明するのに許可っている？",
                               "Is technology that is already published on the internet controlled?"])
def test_public_technology_asked_in_plain_words_is_answered_no_with_the_koichi_sentence(pack, q):
    assert_led(pack, q, ("いいえ。", "No."), re.compile(r"公知|不特定多数|unspecified number|public"))


@pytest.mark.parametrize("q,word", [
    ("アドバイザー派遣ってお金かかるの？", "いいえ。"),
    ("アドバイザー派遣ってタダ？", "はい。"),
    ("Does the advisor dispatch cost anything?", "No."),
])
def test_asked_what_a_service_costs_the_free_of_charge_sentence_answers(pack, q, word):
    assert_led(pack, q, word, re.compile(r"無料|free of charge"))


# ----------------------------------------------------------------- a destination's group asked the negative

@pytest.mark.parametrize("q,word", [
    ("中国ってグループAじゃないよね？", "はい。"),          # agreeing that it is not
    ("ベトナムってグループAには入ってないよね？", "はい。"),
    ("ドイツってグループAじゃないよね？", "いいえ。"),        # it is
])
def test_a_group_asked_the_negative_is_answered_in_japanese_agreement(pack, q, word):
    assert_led(pack, q, word, "グループ")


# ----------------------------------------------------------------- which sentences are bans

def test_an_arms_embargo_list_is_no_ban_of_exports():
    from anpo.analysis import load_rules
    ban = load_rules().premise["ban"]
    assert not ban.search("北朝鮮は国連安保理決議で武器禁輸等の制裁が採択された国・地域であり、グループdに当たる。")
    assert not ban.search("輸出令別表第3の2(国連武器禁輸国・地域)に掲げられているのはコンゴ民主共和国です。")
    assert ban.search("北朝鮮向けの輸出は、全ての貨物について禁止されています。")


@pytest.mark.parametrize("q,s,word", [
    ("北朝鮮とは一切取引できないよね？", "北朝鮮と第三国との間で貨物を移動させる売買・貸借・贈与の取引（仲介貿易取引）も、外為法第25条第6項に基づいて禁止されています。", ""),
    ("北朝鮮には何も送れないんでしょ？", "北朝鮮を原産地又は船積地域とする貨物の輸入も禁止されています。", ""),
    ("ロシアには何も輸出できないの？", "ロシア向けには、石油精製用の装置等、量子コンピュータや3Dプリンターなどの先端的な物品の輸出も禁止されています。", "いいえ。"),
    ("北朝鮮には何も輸出できないんですか？", "北朝鮮向けの輸出は、全ての貨物について禁止されています。", "はい。"),
])
def test_asked_whether_nothing_may_be_sent_only_a_ban_of_some_items_says_no(q, s, word):
    from anpo.compose import ban_word
    assert ban_word(normalize(q), s) == word


@pytest.mark.parametrize("q", ["北朝鮮には何も送れないんでしょ？", "北朝鮮とは一切取引できないよね？", "北朝鮮には何も輸出できないんですか？"])
def test_north_korea_asked_whether_nothing_may_be_sent_is_never_answered_no(pack, q):
    line = _first_line(pack.ask(q))
    assert not line.startswith("いいえ。"), line


# ----------------------------------------------------------------- 「何か」 asks "anything?"

@pytest.mark.parametrize("q,word", [
    ("別件だけど、北朝鮮から何か輸入するのは大丈夫？", "いいえ。"),     # all goods banned
    ("ベラルーシ向けって何か規制かかってる？", "はい。"),
    ("北朝鮮に何か送っても問題ない？", "いいえ。"),
])
def test_anything_to_a_banned_destination_is_a_yes_no_question(pack, q, word):
    assert_led(pack, q, word, "禁止")


def test_anything_is_not_answered_no_by_a_ban_of_some_items():
    from anpo.compose import ban_word
    partial = "ロシアとベラルーシ向けには、国際輸出管理レジームの対象品目（工作機械、炭素繊維など）の輸出が禁止されています。"
    assert ban_word(normalize("ロシアに何か送っても問題ない？"), partial) == ""
    assert ban_word(normalize("ロシアに工作機械を送っても問題ない？"), partial) == "いいえ。"


# ----------------------------------------------------------------- "does X alone make Y?"

@pytest.mark.parametrize("ex", RULES.raw["restricted_examples"], ids=lambda e: e["q"][:14])
def test_a_restricting_sentence_answers_a_does_x_alone_question(ex):
    q = asked_sentence(normalize(ex["q"]))
    assert leads.restricted(q, ex["s"]) == ex["restricted"]
    if ex["restricted"]:
        assert leads.agrees("いいえ。", q, ex["s"])


@pytest.mark.parametrize("q", ["遵守基準を守ってないと、すぐ罰則になるの？",
                               "Does breaching the exporter compliance standards automatically lead to penalties?",
                               "特定類型に当たったら、それだけで懸念ありとみなされる？"])
def test_does_x_alone_make_y_is_answered_no_with_the_restricting_sentence(pack, q):
    assert_led(pack, q, ("いいえ。", "No."), re.compile(r"だけ|限られ|わけでは|only"))


def test_group_a_igai_in_brackets_names_the_other_groups_too():
    assert leads.groups("輸出令別表第3の国（グループA）以外の国・地域") == {"b", "c", "d"}
    assert leads.groups("countries outside Group A") == {"b", "c", "d"}


@pytest.mark.parametrize("q", ["キャッチオール規制ってグループA以外だけが対象なんですか？",
                               "インフォーム要件ってグループA以外の国だけが対象だよね？",
                               "Catch-all is only for countries outside Group A, right?"])
def test_only_outside_group_a_is_answered_no_with_what_holds_for_group_a(pack, q):
    line = assert_led(pack, q, ("いいえ。", "No."), re.compile(r"グループA向け|Group A"), cited=True)
    assert not re.search(r"グループA）?以外|outside Group A", line), line


@pytest.mark.parametrize("q", RULES.raw["own_stance_only_examples"])
def test_a_cost_question_is_not_affirmed_by_a_sentence_about_something_else(pack, q):
    # 「お金かかる？」 was answered 「はい。」 with 「…2週間程度かかる」 (time) or a sentence that merely
    # shares the asked words: only a sentence stating a cost (or that it is free) may lead
    line = _first_line(pack.ask(q))
    assert not line.startswith("はい。"), line


@pytest.mark.parametrize("q", ["マレーシアってグループA？", "インドネシアはグループAですか？", "フィリピンってホワイト国？"])
def test_a_country_named_far_into_a_list_gets_its_group_from_the_table(pack, q):
    # the pack's sentence lists 15 countries before 「…グループCとして扱われます」: a country late in the
    # list is still the sentence's subject (it got 一概には言えません from an inform sentence)
    assert_led(pack, q, "いいえ。", "グループC", cited=True)


@pytest.mark.parametrize("q", ["Do the Russia export bans cover 3D printers?", "Does the ban on Russia include luxury cars?",
                               "Do the Russian export bans include quantum computers?"])
def test_does_the_ban_cover_x_asks_whether_x_is_banned(pack, q):
    # "Do the bans cover 3D printers?" was answered "No." with the sentence banning 3D printers: "cover /
    # include / covered by the ban" asks whether the ban applies, which a ban sentence affirms
    assert_led(pack, q, "Yes.", re.compile(r"prohibit|ban"), cited=True)


@pytest.mark.parametrize("q", ["ロシアに食品を輸出できる？", "ロシアに医薬品を送るのは禁止？", "ロシアに文房具を送ってもいい？"])
def test_goods_no_ban_sentence_names_get_no_yes_or_no(pack, q):
    # goods the product tables don't know (食品, 文房具) were answered いいえ/はい by the sentence banning
    # machine tools and semiconductors: the asker's own name for the goods must stand in the ban sentence
    line = _first_line(pack.ask(q))
    assert not line.startswith(("はい。", "いいえ。")), line
    assert "禁止" in line, line


@pytest.mark.parametrize("q", ["ロシアの航空機メーカーにネジを送れる？", "ロシア国防省の関連団体にベアリングを売ってもいい？",
                               "ロシアの航空機メーカーに、うちで作ったアルミ部品を今後も納めて大丈夫？"])
def test_a_ban_on_the_named_recipient_answers_for_any_goods(pack, q):
    # 「特定団体（ロシア国防省、ロシアの航空機メーカーなど）への輸出等も禁止」 bans every good to them
    assert_led(pack, q, "いいえ。", "特定団体", cited=True)


# ----------------------------------------------------------------- confirming a proposition, "without X", cost words

@pytest.mark.parametrize("ex", RULES.raw["confirm_examples"], ids=lambda e: e["q"][:14])
def test_a_request_to_confirm_asks_the_proposition(ex):
    assert normalize(leads.proposition(ex["q"])).rstrip("?？") == normalize(ex["p"]).rstrip("?？")
    fam, _ = leads.asked(ex["q"])
    assert (fam.name if fam else None) == ex["family"]


@pytest.mark.parametrize("ex", RULES.raw["without_examples"], ids=lambda e: e["q"][:14])
def test_a_sentence_that_says_nothing_of_doing_without_does_not_affirm_it(ex):
    assert leads.without_unsaid(ex["q"], ex["s"]) is ex["unsaid"]
    if ex["unsaid"]:
        assert not leads.agrees("はい。", asked_sentence(normalize(ex["q"])), ex["s"])


def test_every_new_row_carries_three_examples():
    for row in ("confirm_examples", "without_examples"):
        assert len(RULES.raw[row]) >= 3, row
    assert sum(e["unsaid"] for e in RULES.raw["without_examples"]) >= 3


@pytest.mark.parametrize("word,fam,own", [("料金", "cost", True), ("費用", "cost", True), ("手数料", "cost", True),
                                          ("naccs", "cost", False), ("料金", "need", False)])
def test_a_cost_questions_own_words_are_its_predicate(word, fam, own):
    assert leads.own_word(leads.family(fam), word) is own


@pytest.mark.parametrize("ex", RULES.raw["elsewhere_examples"], ids=lambda e: e["q"][:14])
def test_a_sentence_about_another_destinations_measures_is_elsewhere(ex):
    assert leads.elsewhere(ex["q"], ex["s"]) is ex["elsewhere"]
    if ex["elsewhere"]:
        assert not leads.agrees("はい。", asked_sentence(normalize(ex["q"])), ex["s"], frozenset({"d"}), normalize(ex["q"]))


@pytest.mark.parametrize("ex", RULES.raw["past_rule_examples"], ids=lambda e: e["s"][:14])
def test_a_rule_as_it_was_is_told_from_one_that_holds(ex):
    assert leads.past_rule(ex["s"]) is ex["past"]


def test_elsewhere_and_past_rows_carry_three_examples_each_way():
    assert sum(e["elsewhere"] for e in RULES.raw["elsewhere_examples"]) >= 3
    assert sum(e["past"] for e in RULES.raw["past_rule_examples"]) >= 3


@pytest.mark.parametrize("ex", RULES.raw["need_is_another_examples"], ids=lambda e: e["q"][:14])
def test_a_sentence_saying_only_what_is_needed_does_not_affirm_can_or_applies(ex):
    q = asked_sentence(normalize(ex["q"]))
    assert leads.asked(q)[0].name in RULES.raw["need_is_another_predicate"]
    assert not leads.agrees("はい。", q, ex["s"])


@pytest.mark.parametrize("ex", RULES.raw["declarative_examples"], ids=lambda e: e["q"][:14])
def test_a_statement_asked_with_a_question_mark_is_yes_no_when_it_names_a_predicate(ex):
    assert leads.declarative_yesno(ex["q"]) is ex["yesno"]


@pytest.mark.parametrize("ex", RULES.raw["universal_examples"], ids=lambda e: e["q"][:14])
def test_every_case_is_affirmed_only_by_a_sentence_about_every_case(ex):
    assert leads.universal_unsaid(ex["q"], ex["s"]) is ex["unsaid"]
    if ex["unsaid"]:
        assert not leads.agrees("はい。", asked_sentence(normalize(ex["q"])), ex["s"])


@pytest.mark.parametrize("ex", RULES.raw["need_is_licence_examples"], ids=lambda e: e["q"][:14])
def test_a_licence_needed_still_affirms_being_controlled(ex):
    assert leads.agrees("はい。", asked_sentence(normalize(ex["q"])), ex["s"])

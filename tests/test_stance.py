"""The claim a yes/no question makes, aligned with the stance of the cited sentence (anpo.leads.claim_word,
anpo.compose._claim_lead; data/leads.yaml `claims`): a sentence that rejects the kind of claim the question
makes (「…と考えるのは誤りです」「…とは言えない」「…免除されることはない」「…は任意」「有効期限は…」「…例外として
扱われます」) answers 「いいえ」; a question that does not make that claim gets no word from it.  Also: a 「はい」
that the asker's case is an exemption needs a sentence about the asker's reason (anpo.leads.case_claim_unsaid),
and a question word followed by も/でも is a universal, no question word (intents.yaml premise.wh).
The pipeline questions were written for this test, in users' voices; none is copied from an eval set."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from anpo import leads
from anpo.analysis import analyse, asked_sentence, load_rules
from retrieval.textnorm import normalize

from lead_checks import assert_led, first_line

RULES = leads.rules()
CLAIMS = RULES.raw["claim_examples"]


@pytest.mark.parametrize("ex", CLAIMS, ids=lambda e: e["q"][:16])
def test_claim_rows_serve_their_examples(ex):
    word, kind = leads.claim_word(asked_sentence(normalize(ex["q"])), ex["s"])
    assert word == ex["word"], (word, kind)
    if ex.get("kind"):
        assert kind == ex["kind"]


def test_every_claim_row_serves_three_differently_worded_questions():
    served = Counter(e["kind"] for e in CLAIMS if e.get("kind"))
    for row in RULES.raw["claims"]:
        assert served[row["kind"]] >= 3, row["kind"]


@pytest.mark.parametrize("ex", RULES.raw["case_claim_examples"], ids=lambda e: e["q"][:16])
def test_a_yes_that_the_case_is_an_exemption_needs_its_reason(ex):
    assert leads.case_claim_unsaid(asked_sentence(normalize(ex["q"])), ex["s"]) == ex["unsaid"]


# ----------------------------------------------------------------- the real pack

REJECTED = [
    # (question, the word, what the first sentence says)
    ("マトリクス表で検索して何も出てこなかったら、非該当と判断して大丈夫ですか？", "いいえ。", "とは言えない"),
    ("マトリクスでヒットしなかったので非該当で出しちゃっていいかな？", "いいえ。", "とは言えない"),
    ("CPを経産省に出さないと違法なんでしょ？", "いいえ。", "任意"),
    ("CISTECの検証証明書は一度もらえばずっと有効ですよね？", "いいえ。", "有効期限"),
    ("該非判定の検証証明書って期限なしで使えるの？", "いいえ。", "有効期限"),
    ("業界ではみんな知ってる技術だから公知扱いでいいよね？", "いいえ。", "認められません"),
]


@pytest.mark.parametrize("q,word,says", REJECTED)
def test_a_sentence_rejecting_the_claim_answers_no(pack, q, word, says):
    assert_led(pack, q, word, says, cited=True)


def test_no_exception_claimed_is_answered_no_by_the_exception(pack):
    assert_led(pack, "北朝鮮向けって人道目的でも例外なく全部ダメなんでしょ？", "いいえ。", "例外", cited=True)
    # asked for the exception's case, it depends
    # (helper deal) a banned destination never gets 「一概には言えません」: its exception is 「条件次第です」
    assert_led(pack, "人道目的なら北朝鮮に物資を送れる？", "条件次第です。", "例外", cited=True)


CASE_UNSAID = [
    "同業者ならだれでも知ってる技術なので、公知の技術に当たりますよね？",
    "This technology is well known among everyone in our industry, so it counts as publicly available and we can share it without a licence, correct?",
    "取引先の技術者はみんな知ってる内容だから公知ってことでいいですよね？",
]


@pytest.mark.parametrize("q", CASE_UNSAID)
def test_a_reason_the_pack_does_not_speak_of_gets_no_yes(pack, q):
    line = first_line(pack.ask(q))
    assert not line.lower().startswith(("はい", "yes")), line


def test_a_premise_told_outside_the_asked_sentence_does_not_turn_its_yes(pack):
    # the colleague's 「関係ない」 after the question is no premise of the asked sentence
    assert_led(pack, "海外の取引先に不良品を返品します。これって返品でも輸出扱いになるんですか？上司は関係ないって言ってますが",
               "はい。", "返品", cited=True)


def test_a_need_only_under_a_condition_does_not_say_no_to_not_needed_otherwise(pack):
    line = first_line(pack.ask("一般国向けの16項(2)の貨物で、インフォーム通知が来ていなければ許可はいらないと考えてよいですか。"))
    assert not line.startswith("いいえ"), line


@pytest.mark.parametrize("q", ["非該当なら、どこの国にも許可なしで出せる？", "このソフトって誰にでも渡していいの？",
                               "うちの製品ならいつでも輸出できますか？", "どんな製品でも許可が要るんですか？"])
def test_a_question_word_with_mo_is_a_universal_not_a_question(q):
    assert not load_rules().premise["wh"].search(asked_sentence(normalize(q)))


@pytest.mark.parametrize("q", ["どこの国に輸出するの？", "誰に相談すればいい？", "いつまでに申請するの？", "どんな書類が要りますか？",
                               "様式はどこでもらえる？", "誰に持っていけばいい？"])
def test_a_question_word_still_asks(q):
    assert load_rules().premise["wh"].search(asked_sentence(normalize(q)))


def test_a_claim_the_question_does_not_make_gets_no_word(pack):
    for q in ("中古品でも該非判定は必要ですか？", "CPの届出って任意ですか？", "検証証明書の有効期限は1年ですか？",
              "輸出等って、モノ以外も含まれるの？"):
        line = first_line(pack.ask(q))
        assert not line.startswith("いいえ"), (q, line)


ENOUGH = [
    "ユーザーリストって社名で検索するだけでいいですか？",
    "外国ユーザーリストの照合は、最終ユーザーの名前を見るだけで大丈夫？",
    "リストとの照合は会社名をCtrl+Fで探すだけで足りますか？",
]


@pytest.mark.parametrize("q", ENOUGH)
def test_is_just_x_enough_is_answered_no_by_a_sentence_asking_more(pack, q):
    # leads.yaml `enough` / `extends_enough`: 「…だけでなく…も」「…のほか…も」 say more is needed, whatever they extend
    assert_led(pack, q, "いいえ。", re.compile("だけでなく|のほか"), cited=True)


RENAMED = [
    # (question, word, what the first sentence says): a renamed thing is no other thing, nor still there by its old name
    ("貿易経済協力局と貿易経済安全保障局って別の組織ですか？", "いいえ。", "改称"),
    ("一般包括輸出許可と特別一般包括輸出許可は別物でしょうか。", "いいえ。", "名称が変わりました"),
    ("貿易経済協力局って今でも残ってるんですか？", "いいえ。", "改称"),
    ("Is the White Country category still in use?", "No.", "Group"),
    ("昔ホワイト国って言ってたのは、今はグループAって呼び方に変わったんだっけ？", "はい。", "呼称に改めました"),
]


@pytest.mark.parametrize("q,word,says", RENAMED)
def test_a_renamed_thing_answers_distinct_persists_and_renamed_claims(pack, q, word, says):
    assert_led(pack, q, word, says, cited=True)


@pytest.mark.parametrize("q,word", [("北朝鮮向けに例外はないんですか？", "いいえ。"), ("北朝鮮には例外は一切ないんでしょ？", "いいえ。"),
                                    ("Are there no exceptions at all for North Korea?", "No.")])
def test_no_exception_claimed_without_naming_the_case_is_answered_by_the_exception(pack, q, word):
    # the claim row no_exception finds the ban's exception even when the question names no case (人道目的)
    assert_led(pack, q, word, re.compile("例外|exception"), cited=True)


@pytest.mark.parametrize("q", ["アドバイザーに来てもらうと料金を払わないといけないの？", "NACCSって使うたびに手数料取られますか？",
                               "アドバイザー派遣を頼んだら、あとで費用を請求されますか？"])
def test_money_taken_asks_the_cost(pack, q):
    # leads.yaml families.cost asks: 「お金取られる」「料金を払わ」「手数料取られ」「費用を請求され」
    assert_led(pack, q, "いいえ。", "無料", cited=True)

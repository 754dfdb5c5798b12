"""Round 9 (helper lead): the premise a confirmation question asserts, read where it is asked.
- A question inside quotation marks is reported speech (「部長に『…でしょ？』って言われて」): the asker's own question
  follows it, so it is no part of its own (anpo.analysis.question_parts), and its lead comes from the sentence
  that answers the asker's question, not from one answering a part cut from the quote.
- A concession before the asked clause (「…が要るらしいけど、」) is what the asker heard, not what is asked
  (leads.yaml reason_clause; anpo.leads.only_in_reasons).
- The claim that something done once stays good as it is (「一回判定したんだからそのままでいい？」) is rejected by a
  sentence saying it must be redone against the current rules (leads.yaml claims, kind as_is).
Every wording is our own, in users' voices; none is copied from an eval set."""

from __future__ import annotations

import re

import pytest

from anpo import leads
from anpo.analysis import asked_sentence, load_rules, question_parts
from retrieval.textnorm import normalize

from lead_checks import assert_led, first_line


@pytest.mark.parametrize("q", [
    "取引先から「サンプルも輸出扱いになるんですか？」って聞かれたんですけど、タダで渡すサンプルでも輸出になるんですよね？",
    "上司に「CPって出さないとまずいんじゃないの？」と言われまして。届け出は義務なんでしょうか？",
    "営業に『それって許可いるの？』って毎回聞かれるんですが、非該当品なら許可はいらないってことでいいですか？",
    "The buyer asked me \"is this item controlled?\" and I said no. Was that right?",
])
def test_a_question_in_quotation_marks_is_no_part_of_its_own(q):
    assert question_parts(q) == [q]


def test_two_questions_outside_quotation_marks_are_still_two_parts():
    assert len(question_parts("「リスト規制」って何ですか？あと、キャッチオールとの違いは？")) == 2


@pytest.mark.parametrize("q", [
    "該非判定ってのが要るらしいけど、メーカーにお願いすればやってもらえるんですよね？",
    "該非判定が必要なのは知ってるけど、経産省に聞けば判定してくれるでしょ？",
    "該非判定しなきゃいけないとは聞いたけれど、税関で見てもらえるんですよね？",
])
def test_a_check_told_in_a_concession_is_not_asked(q):
    pat = load_rules().premise["check_asked"]
    assert pat.search(normalize(q))
    assert leads.only_in_reasons(pat, asked_sentence(normalize(q)))


@pytest.mark.parametrize("q", [
    "うちの部品も該非判定って要るんですか？",
    "小さい会社でも該非判定しなきゃいけないの？",
    "メーカーの判定書があっても、該非判定は必要ですか？",
])
def test_a_check_asked_outright_is_asked(q):
    pat = load_rules().premise["check_asked"]
    assert not leads.only_in_reasons(pat, asked_sentence(normalize(q)))


@pytest.mark.parametrize("q", [
    "昔、非該当と判定した製品だから、リスト改正があっても判定はそのままで大丈夫ですよね？",
    "以前に非該当と判定した機械なので、リストが改正されてもその判定をそのまま使っていいですよね？",
    "前に一度該非判定した製品なので、改正後もそのまま使い回していいですよね？",
])
def test_a_judgement_kept_as_it_is_is_answered_no_by_the_sentence_asking_to_redo_it(pack, q):
    assert_led(pack, q, "いいえ。", re.compile("最新|見直"), cited=True)


# ----------------------------------------------------------------- the asked predicate repeated (echo)

ECHO = leads.rules().raw["echo_examples"]


@pytest.mark.parametrize("ex", ECHO, ids=lambda e: e["q"][:16])
def test_echo_rows_serve_their_examples(ex):
    assert leads.echo_word(asked_sentence(normalize(ex["q"])), ex["s"]) == ex["word"]


def test_every_echo_word_serves_three_questions():
    for word in ("はい。", "いいえ。", ""):
        assert sum(e["word"] == word for e in ECHO) >= 3, word


@pytest.mark.parametrize("q,word", [
    ("貨物等省令のHSコードが改正されたら、16項(1)の対象範囲も連動して変わるってことで合ってますか？", "はい。"),
    ("省令のHSコードが改正されたら、16項(1)の対象範囲も自動で変わるんですか？", "はい。"),
    ("HSコードの改正があっても16項(1)の対象範囲って変わらないですよね？", "いいえ。"),
    ("貨物等省令のHSコードが改正されても、16項(1)の範囲は変わらないでしょ？", "いいえ。"),
])
def test_a_sentence_repeating_the_asked_predicate_answers_it(pack, q, word):
    assert_led(pack, q, word, "自動的に変わります", cited=True)


@pytest.mark.parametrize("q", [
    "うちの客はオーストラリアだけなんで、グループA向けならキャッチオールは関係ないんですよね？",
    "相手はカナダの会社なんで、グループAだしキャッチオールは一切関係ないっすよね？",
    "輸出先はイギリスとドイツだけなんで、グループA向けならキャッチオールは気にしなくていいですよね？",
])
def test_a_colloquial_nande_reason_is_no_only_question(pack, q):
    assert not leads.exclusive(asked_sentence(normalize(q)))
    assert_led(pack, q, "いいえ。", "インフォーム", cited=True)


# ----------------------------------------------------------------- still listed? / a shaped answer's lead

@pytest.mark.parametrize("q", [
    "エリトリアって今も別表第3の2に載ってるんですか？",
    "コートジボワールは現在も国連武器禁輸国として輸出令別表第3の2に掲げられていますか。",
    "リベリアってまだ別表第3の2に入ってますよね？",
])
def test_a_country_removed_from_a_list_is_no_longer_on_it(pack, q):
    assert_led(pack, q, "いいえ。", re.compile("削除されました|10か国です"), cited=True)    # (the list as it is says so too)


def test_a_country_removed_and_added_again_is_not_answered_by_its_removal():
    row = next(r for r in leads.claim_rows() if r.kind == "persists")
    assert not row.rejects.search(normalize("大韓民国は2019年8月28日に輸出令別表第3から削除され、2023年7月21日に再び追加された。"))
    assert row.rejects.search(normalize("2016年11月7日の輸出令改正で、輸出令別表第3の2からリベリアが削除されました。"))


@pytest.mark.parametrize("q", [
    "海外からの研修生に技術指導するのって、技術の提供になるんですか？",
    "海外の子会社から来た研修生に、うちの工場で技術指導するのも技術の提供になるの？",
    "海外から来た研修生に設計のやり方を指導するのも「技術の提供」になるんですか？",
])
def test_hosting_trainees_asked_yes_no_is_led_by_its_cited_sentence(pack, q):
    assert_led(pack, q, "はい。", "技術の提供に当たります", cited=True)


@pytest.mark.parametrize("q", [
    "メーカーの判定書があるから、うちは中身を確認しなくてもいいですよね？",
    "仕入先の該非判定書があれば、商社のうちは自分で確認しなくて大丈夫でしょ？",
])
def test_a_makers_judgement_does_not_spare_the_exporters_own_check(pack, q):
    # 「該非判定書」 is no complement of 判定書 (該非 is one word), so the sentence may answer
    assert_led(pack, q, "いいえ。", "自らの責任で確認", cited=True)


@pytest.mark.parametrize("q", [
    "該非判定は輸出者が自分で行うんですよね？",
    "該非判定って、輸出する会社が自分で行うんでしょ？",
    "結局、該非判定は輸出者側が自ら行うってことで合ってますか？",
])
def test_a_premise_the_main_clause_states_is_not_denied_by_a_reason_before_it(pack, q):
    # 「経済産業省は該非判定を行わないため、該非判定は輸出者が自ら行う必要があります」: its 行わない is a reason about
    # another subject; the main clause states what is asked (echo), so never いいえ
    assert not first_line(pack.ask(q)).startswith("いいえ")

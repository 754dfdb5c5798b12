"""Round 12 (lead): the CLAIM the question makes is checked before its lead.

- "X. Is that right?" 「…なんだとか。…本当ですか？」: the claim asked about is the sentence before (leads.claimed_question,
  leads.yaml bare_confirm), not "is that right?".
- a restrictive or quantified claim ("limited to military items", "once every five years") is answered いいえ by a
  cited sentence stating the contrary scope (「全ての貨物」「毎年」; claims rows `limited`, `infrequent`, decides: true);
  「全部許可いらない」 "no matter what" get no はい from a sentence about one case (universal).
- "a step we can't skip" asks what must be done (obligation_forms); "Apart from …," asks nothing (reason_clause).
- 「何か国ある？」 counts: no "anything" question answered はい by the sentence naming them.
Examples in leads.yaml run in tests/test_stance.py, test_leads.py, test_polarity_forms.py; the asks below are other voices
than the eval sets' (each fixed item has two of its own here)."""
import pytest

from anpo import leads

from lead_checks import first_line


@pytest.mark.parametrize("ex", leads.rules().raw["same_object_examples"], ids=lambda e: e["q"][:16])
def test_the_need_asked_is_the_need_the_sentence_states(ex):
    from anpo.analysis import asked_sentence
    from retrieval.textnorm import normalize
    a = asked_sentence(normalize(ex["q"]))
    assert leads.same_object(leads.asked(a)[0], a, ex["s"]) is ex["same"]


@pytest.mark.parametrize("ex", leads.rules().raw["bare_confirm_examples"], ids=lambda e: e["q"][:16])
def test_a_bare_confirmation_asks_about_the_sentence_before(ex):
    assert bool(leads.claimed_question(ex["q"])) is ex["bare"], leads.claimed_question(ex["q"])


@pytest.mark.parametrize("q,lead", [
    # p11-049's kind: "limited to" told, then "Is that right?"
    ("A colleague says the North Korea embargo is limited to military gear and that normal consumer products are fine. Is that right?", "No."),
    ("北朝鮮への輸出禁止って、軍事用の品に限られてるんですよね？", "いいえ。"),
    # p11-007's kind: revised "every few years"
    ("The End User List only gets revised every few years, so an older copy is fine for screening, right?", "No."),
    ("Is it true that the End User List gets revised just once every few years?", "No."),
    # f9-024's kind: a step at customs that cannot be skipped under the low-value exception
    ("Apart from not needing a licence, is there any customs step we still cannot skip under the small-value exemption?", "Yes."),
    # p11-047's kind: "breaking the standards immediately / even one item → criminal penalty" ← 罰則は命令違反の場合だけ
    ("Our trainer said that breaking the exporter compliance standards immediately makes you liable to criminal punishment. Is that accurate?", "No."),
    ("Is it true that even one missed item of the exporter compliance standards means a criminal penalty?", "No."),
    # p11-019 / p11-027's kind: the need named by the sentence's subject (該非判定は…についても必要), and 「手続き」 names
    # every procedure (same_object was too strict: the いいえ was vetoed)
    ("装置と一緒に送るプログラムについては判定は不要と考えていいですか？", "いいえ。"),
    ("機械に入れて出荷する制御ソフトは、該非判定しなくてもいいですよね？", "いいえ。"),
    ("アメリカの子会社と図面をクラウドで共有するだけなので、手続き的なものは何もいらないですよね？", "いいえ。"),
    ("海外の子会社に設計データを送るだけだから、手続きなんていらないでしょ？", "いいえ。"),
    # f9-022's kind: 受けてくれる ← 受け付けています
    ("関東経済産業局は紙の申請書を郵送しても受けてくれますか？", "はい。"),
    ("うちの社長が郵送で出せって言うんですけど、関東経済産業局って郵送でも受けてくれるの？", "はい。"),
])
def test_the_claim_is_what_the_lead_answers(pack, q, lead):
    assert first_line(pack.ask(q)).startswith(lead), (q, first_line(pack.ask(q)))


@pytest.mark.parametrize("q", [
    # f9-052's kind: 全部 is no case the basic-research sentence states; f9-062's kind: 何か国 counts
    "共同研究の相手が大学なら、基礎研究ってことで技術の話は全部許可いらないんですよね？製品開発が目的なんですけど",
    "大学との研究なら技術は全部許可不要でいいよね？量産品の開発なんだけど",
    "懸念国って何か国あるんですか？",
    "いわゆる懸念国は何か国？",
    # a negation in "aside from …" asks nothing: no "No." read from the licence the asker set aside
    "Aside from the licence, is there anything at customs we can't skip under the small-value exemption?",
    "Other than not needing the permit, is there a step at customs clearance we can't skip when we use the small-value exemption?",
])
def test_no_yes_to_a_claim_the_sentence_does_not_state(pack, q):
    assert not first_line(pack.ask(q)).startswith(("はい", "いいえ" if q.isascii() else "はい", "No.")), (q, first_line(pack.ask(q)))

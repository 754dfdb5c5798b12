"""Round 10, helper "para": the round's multi-part fixes asked in other users' words.

Paraphrases of the items fixed this round showed three fixes bound to their wording; each is made general here:

- a first part's asked predicate (無料/有料: 「…って無料なんですか？」) is what it asked, not its subject: a later part
  that names only an aspect (「あと、今からでも申し込み間に合いますか？」) is asked of the subject without it
  (data/intents.yaml `aspects`), or it quotes the 無料 sentence again instead of answering;
- 「今から申し込んでも間に合う？」「まだ申し込めますか」 ask whether a programme still takes applications
  (answer type `open`): the sentence telling the intake (募集状況, 終了) answers, not one on what the programme does;
- 「AのPとQ、それから/それと/さらにBの…は何条か教えて」: these joiners after a comma open a second question too, when
  what follows asks (a question word, 教えて, 知りたい) — 「申請を提出、それから出荷という流れで大丈夫？」 stays one question.
The wordings were written for this test (none copied from an eval set).
"""

from __future__ import annotations

import re

import pytest

from anpo.analysis import analyse, question_parts
from anpo.compose import asked_types


def _lines(ans) -> list[str]:
    return [ln for ln in ans.answer.split("\n\n")[0].splitlines() if ln.strip() and not ln.startswith("※")]


INTAKE = [
    "経産省のアドバイザー派遣って無料なんですか？あと、今からでも申し込み間に合いますか？",
    "アドバイザー派遣事業を使いたいんですが、費用はかかりますか。それと今から申込みしてもまだ間に合う？",
    "経産省のアドバイザー派遣は有料ですか？それと、今からでもまだ申し込めますか？",
]


@pytest.mark.parametrize("q", INTAKE, ids=[q[:16] for q in INTAKE])
def test_a_later_part_asking_the_intake_is_answered_by_the_intake_sentence(pack, q):
    ans = pack.ask(q)
    assert ans.grounded, (q, ans.answer[:200])
    later = "\n".join(_lines(ans)[1:])
    assert "2点目のご質問" not in ans.answer, (q, ans.answer[:400])
    assert re.search(r"chusho\.html", later), (q, ans.answer[:600])
    assert "無料" in _lines(ans)[0], (q, ans.answer[:300])


@pytest.mark.parametrize("q", ["アドバイザー派遣って無料なんですか？あと、申し込みはどこから？",
                               "説明会は無料？申込みの方法は？",
                               "NACCSって有料ですか？申込みは？"])
def test_the_first_parts_free_or_paid_is_no_subject_of_a_later_aspect_part(q):
    a = analyse(q)
    assert len(a.parts) == 2, q
    assert "無料" not in a.parts[1].topic and "有料" not in a.parts[1].topic, (q, a.parts[1].topic)


@pytest.mark.parametrize("q", ["アドバイザー派遣って今から申し込んでも間に合うのかな", "説明会ってまだ申し込めますか",
                               "あの支援事業、今も募集してる？", "Is the adviser programme still accepting applications?"])
def test_asking_whether_it_still_takes_applications_asks_the_intake(q):
    assert "open" in [t.name for t in asked_types(q)], q


@pytest.mark.parametrize("q", ["申し込んでからどれくらいで使えるようになるの？", "来週の出荷に間に合うか心配です、申請はどれだけ前に？"])
def test_how_long_it_takes_asks_no_intake(q):
    assert "open" not in [t.name for t in asked_types(q)], q


# (the 「…、それから/それと/さらに…」 joined questions are in tests/test_selection_parts.py JOINED, with あわせて/加えて/併せて)


@pytest.mark.parametrize("q", ["許可申請を提出、それから出荷という流れで大丈夫？", "輸出許可を取得、それから現地で組み立てる場合は？",
                               "該非判定を依頼して、それから出荷する流れで大丈夫？"])
def test_a_sequence_told_with_sorekara_stays_one_question(q):
    assert len(question_parts(q)) == 1, q

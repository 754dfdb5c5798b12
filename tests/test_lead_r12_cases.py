"""Round 12 (lead): asked whether such a case exists — 「…例ってありますか？」「改善例ってないですかね」 'Is there a
real case / a success story …' — in any sentence of the question, the cited case answers 「はい」/"Yes."
(anpo.cases.asks_if_exists: case_cues.tsv rows case_asked + exists_asked; one mechanism for JA and EN)."""
import pytest

from anpo.cases import asks_if_exists, load_case_cues


def _examples(label):
    return [q for c in load_case_cues() if c.label == label for q in c.examples]


@pytest.mark.parametrize("q", _examples("exists_asked"))
def test_exists_asked_examples_are_read_as_asking_whether_a_case_exists(q):
    assert asks_if_exists(q), q


@pytest.mark.parametrize("q", [
    "D社の支援内容を簡単に教えて",
    "担当者が辞めてノウハウが消えた会社の立て直し事例、何をやった？",
    "同じような状況から立て直した会社の事例、ありましたよね？どうやったんですか？",
    "What did the advisor do for the auto parts maker that had never exported before?",
])
def test_a_case_asked_about_not_whether_one_exists_is_no_exists_question(q):
    assert not asks_if_exists(q), q


@pytest.mark.parametrize("q", [
    # other voices than the eval sets': JA (plain, polite, the ask in the first of two sentences) and EN
    "輸出なんてやったことない部品屋が、アドバイザーに入ってもらって体制を作れた例ってありますか？",
    "担当がひとりで抱え込んでる商社なんですが、似たような会社の改善例ってないですかね",
    "ウチと同じで担当が辞めちゃった会社、立て直せた事例はありますか？その後どうなったかも教えてください。",
    "Is there a real case of a small maker that got the special general bulk licence after revising its CP?",
    "Is there a success story from a trading company where the president took the advisor's training?",
    "Are there any case studies of a company whose export staff had left?",
])
def test_asked_whether_a_case_exists_the_cited_case_leads_yes(pack, q):
    tr = pack.explain(q)
    assert tr.route == "case", (q, tr.route)
    assert tr.answer.answer.startswith(("はい。", "Yes.")), (q, tr.answer.answer[:80])

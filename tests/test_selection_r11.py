"""Each part of a question gets the sentence of its answer type (round 11, helper "select").

The wordings below were written for this test in an SME owner's, a seminar attendee's, an advisor's
or a foreign staff member's words (none is copied from an eval set).  Each group names the mechanism:

- answer types (data/intents.yaml `answer_types`) read from how people ask: reason 「なんで／なぜ／どうして」
  and use 「何に使われる」「用途」 (the sentence saying what the goods become in weapons, not their item
  numbers: `not_status` lets the product check yield, screening.asked_beyond_the_goods), kinds 「何と何に
  分かれる」「何種類」 (the sentence naming the kinds), contact 「どこに連絡」「電話番号」 (the telephone
  number), documents "which records" (the sentence listing …invoices…), todo 「具体的に何をすれば」 (the
  sentence listing what is done);
- a part asking two things (「いつからで、何をすればいいの？」「何と何に分かれていて、…」) is two parts
  (analysis.question_parts cuts each part with part_splitters);
- a later part whose line gives its type of nothing in particular yields to the line giving it of the
  first part's subject (multipart.answer_part: 「炭素繊維は…？軍事だと何に使われる？」 → 炭素繊維 … ミサイル).
"""

from __future__ import annotations

import re

import pytest

from anpo.analysis import question_parts
from anpo.compose import asked_types


def _lines(ans) -> list[str]:
    return [ln for ln in ans.answer.split("\n\n")[0].splitlines() if ln.strip() and not ln.startswith("※")]


ANSWERS = [
    # reason / use: what the goods become in weapons, of the goods asked about
    ("炭素繊維ってなぜ輸出規制の対象なの？兵器だと何に使われるんですか", [r"ミサイル"]),
    ("炭素繊維はどうして規制されてるの？軍事ではどんな用途になる？", [r"ミサイル"]),
    ("シアン化ナトリウムはどうして規制されてるの？軍事ではどんな用途？", [r"化学兵器"]),
    ("ろ過器はなぜ規制されるの？", [r"細菌"]),
    ("工作機械って軍事用途だとどんな使い道がある？", [r"遠心分離機"]),
    # kinds: the sentence naming the two kinds, then the two requirements
    ("キャッチオールって何と何に分かれてるの？", [r"2種類"]),
    ("補完的輸出規制は何と何に分かれていて、許可が要るかを決める要件はどれ？", [r"通常兵器キャッチオール", r"インフォーム要件"]),
    ("アウトリーチの説明会にはどんな種類がある？", [r"2種類"]),
    # contact: the telephone number
    ("Last month we may have exported without the licence we needed. Who at METI should we contact, and can next week's shipment of the same item go ahead?", [r"03-3501-2841"]),
    ("先月の出荷、許可が必要だったかもしれません。経産省の誰に連絡すればいいですか？来週の同じ出荷はどうすれば？", [r"03-3501-2841"]),
    ("無許可で出したかもしれないとき、経産省のどこに連絡すればいい？", [r"03-3501-2841"]),
    ("無許可輸出に気づいたら、経産省のどこに電話すればいいですか？番号も知りたい", [r"03-3501-2841"]),
    # documents: which records → the sentence listing the invoices
    ("Under customs law, which documents must an exporter keep and for how many years?", [r"(?i)invoices", r"5 years"]),
    ("関税法だとどんな書類を何年保存しなきゃいけないの？", [r"仕入書", r"5年"]),
    # items: the sentence naming the item numbers a condition is put on
    ("再輸出の事前同意ってどうやって申請するの？あと、その条件が付くのはどの項番の貨物が多い？", [r"NACCS", r"15項"]),
    ("再輸出の事前同意はどの方法で申請すればいいですか。また、その条件が付きやすい貨物は何項ですか。", [r"NACCS", r"15項"]),
    # since + todo in one part: the date and what is done (指導、研修、…)
    ("ベトナムの子会社にも輸出管理を教えなきゃダメ？それっていつからで、何をやればいいの？", [r"2022年5月1日", r"研修"]),
    ("海外の子会社の指導って義務なんですか。義務ならいつからで、何をすれば足りますか。", [r"2022年5月1日", r"研修"]),
]


@pytest.mark.parametrize("q, facts", ANSWERS, ids=[q[:18] for q, _ in ANSWERS])
def test_each_part_gets_the_sentence_of_its_answer_type(pack, q, facts):
    ans = pack.ask(q)
    assert ans.grounded, (q, ans.answer[:200])
    text = "\n".join(_lines(ans))
    for f in facts:
        assert re.search(f, text), (q, f, ans.answer[:700])


@pytest.mark.parametrize("q, kind", [
    ("炭素繊維ってなんで規制されてるの？", "reason"),
    ("Why are carbon fibres controlled?", "reason"),
    ("炭素繊維は軍事だと何に使われるの？", "use"),
    ("What can this be used for in weapons?", "use"),
    ("補完的輸出規制は何と何？", "kinds"),
    ("検査官室の連絡先は？", "contact"),
    ("Which export records must we keep?", "documents"),
    ("具体的に何をすればいいの？", "todo"),
    ("その条件が付く貨物の項番は？", "items"),
])
def test_the_asked_type_is_read(q, kind):
    assert kind in [t.name for t in asked_types(q)], (q, [t.name for t in asked_types(q)])


@pytest.mark.parametrize("q, n", [
    ("海外子会社の指導は本当に必要？いつからで、何をすればいいの？", 3),
    ("その措置って本当？いつまでで、延長はありそう？", 3),
    ("キャッチオールは何と何に分かれていて、要件はどれ？", 2),
    ("包括許可は何種類あって、どれが使いやすいの？", 2),
])
def test_a_part_asking_two_things_is_two_parts(q, n):
    assert len(question_parts(q)) == n, question_parts(q)


@pytest.mark.parametrize("q", ["何度も聞いていて申し訳ないけど、許可はいる？", "炭素繊維は規制対象？"])
def test_one_question_stays_one(q):
    assert len(question_parts(q)) == 1, question_parts(q)

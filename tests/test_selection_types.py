"""What is asked decides which sentence is quoted, alone and inside a multi-part question
(round 8, helper "select").

The wordings below were written for this test in an SME owner's, an advisor's or a seminar
attendee's words (none is copied from an eval set).  Each group names the mechanism it guards:

- answer types read from how people ask (data/intents.yaml `answer_types`): until 「いつまで有効？」
  「期限は？」, order 「どの順で？」「順序は？」, countries 「どこの国？」「一覧」 "which countries",
  duration 「どの程度で」「間に合う？」, documents 「何の書類」; the sentence giving it leads
  (compose._type_first) even when the question is also a date or number question (compose._number_first
  yields to it);
- the words that ask for the type (順番, 間隔, 程度) choose no sentence (analysis.asked_type_words);
- a later part is answered with its first part's subject in mind (Analysis.context → weights.inherited); a part
  whose only words ask for the type ("…, and how long does it take?" 「どのくらいの間隔で？」) asks it of that subject,
  and a sentence naming the banned destination its first part named is no sentence "about a banned
  destination the question does not name" (ban_elsewhere);
- a question about a banned destination asking for an answer type gets the sentence giving it next to
  the ban (compose._asked_type_line).
"""

from __future__ import annotations

import re

import pytest

from anpo.analysis import analyse, asked_type_words
from anpo.compose import asked_types


def _lines(ans) -> list[str]:
    return [ln for ln in ans.answer.split("\n\n")[0].splitlines() if ln.strip() and not ln.startswith("※")]


# ------------------------------------------------------------------ the sentence giving the asked type leads

LEADS = [
    # until: the validity or the end date, not the sentence on what the service does or when the ban began
    ("until", "CISTECの検証証明書っていつまで有効なんですか", r"有効期限.*1年"),
    ("until", "判定支援で出してもらう証明書に有効期限ってあります？", r"有効期限.*1年"),
    ("until", "北朝鮮への禁止措置、今のはいつまでってことになってるの？", r"2027年4月13日"),
    # order: 「まず…次に…」
    ("order", "ベラルーシ向けに出すとき、確認の順序を教えて", r"まず.*次に"),
    ("order", "ロシアに機械を出すとき、どういう順で確認していけばいい？", r"まず.*次に"),
    ("order", "ロシア向けの輸出って何をどんな順にチェックしたらいいの？", r"まず.*次に"),
    # countries: the sentence listing them, banned ones included
    ("countries", "輸出令の別表第4に入ってる国ってどこ？", r"イラン、イラク、北朝鮮"),
    ("countries", "Which countries does Appended Table 4 of the Export Order list?", r"Iran"),
    ("countries", "国連の武器禁輸国の一覧ってある？", r"南スーダン"),
    # duration: 「どの程度で」
    ("duration", "判定支援って資料を全部出してからどの程度で結果が出るんですか", r"3週間"),
    # first step: 「…前にやっておくことは？」 asks what comes first
    ("first_step", "電子申請を始める前にやっておくことは？", r"まず.*利用者ID"),
    ("first_step", "NACCSを使う前に済ませておく手続きってある？", r"まず.*利用者ID"),
    # documents: 「何の書類」
    ("documents", "経産省にキャッチオールの事前相談をするとき、何の書類を持っていけばいい？", r"事前相談書"),
]


@pytest.mark.parametrize("kind, q, gives", LEADS, ids=[f"{k}:{q[:14]}" for k, q, _ in LEADS])
def test_the_sentence_giving_the_asked_type_leads(pack, kind, q, gives):
    assert kind in [t.name for t in asked_types(q)], (kind, q)
    ans = pack.ask(q)
    assert ans.grounded, (q, ans.answer[:120])
    assert re.search(gives, _lines(ans)[0]), (q, ans.answer[:400])


# ------------------------------------------------------------------ each part gets the sentence it asks for

PARTS = [
    ("CISTECの判定支援、証明書の有効期限と、結果が出るまでの期間を教えて", [r"1年", r"3週間"]),
    ("判定支援を頼んだら証明書はいつまで有効？それと資料を出してからどの程度で結果が出る？", [r"1年", r"3週間"]),
    ("北朝鮮向けの禁止はいつ始まった？それと今の措置の期限は？", [r"2009年6月18日", r"2027年4月13日"]),
    ("北朝鮮って全面禁止はいつから？今の措置はいつまで？", [r"2009年6月18日", r"2027年4月13日"]),
    ("別表第4ってどこの国？で、イラクは国連武器禁輸国にも入ってる？", [r"イラン", r"別表第3の2"]),
    ("NACCSって最初に何から手を付ければいい？来週の申請に間に合うかも気になってて", [r"利用者ID", r"2週間"]),
    # a part asking only how long / how often asks it of the first part's subject (its words name the type)
    ("外国ユーザーリストって何？どのくらいの間隔で変わるの？", [r"参照", r"毎年"]),
    ("How much is CISTEC's classification support for a non-member SME, and how long does it take?", [r"71,500", r"(?i)3 weeks"]),
]


@pytest.mark.parametrize("q, facts", PARTS, ids=[q[:16] for q, _ in PARTS])
def test_each_part_is_answered_by_the_sentence_it_asks_for(pack, q, facts):
    ans = pack.ask(q)
    assert ans.grounded, (q, ans.answer[:120])
    text = "\n".join(_lines(ans))
    for f in facts:
        assert re.search(f, text), (q, f, ans.answer[:500])


# ------------------------------------------------------------------ the asking words choose no sentence

@pytest.mark.parametrize("q, word", [
    ("ロシア向けって何をどの順番で確認すれば？", "順番"),
    ("外国ユーザーリストってどれくらいの間隔で変わるの？", "間隔"),
    ("資料を出してからどの程度で結果が出ますか", "程度"),
    ("外国ユーザーリストはどれくらいのペースで改正される？", "ペース"),
    ("該非判定はどのくらいの間隔でやり直すべき？", "間隔"),
    ("包括許可はどのくらいのスパンで取り直すもの？", "スパン"),
    ("社内の研修ってどれくらいのスパンでやればいい？", "スパン"),
    ("該非判定書はどのぐらいのスパンで見直すのが普通？", "スパン"),
    ("How long does METI take to review an individual licence application?", "long"),
])
def test_the_words_asking_for_the_type_are_told(q, word):
    assert word in asked_type_words(q)
    # told like a slot word: unknown to the pack, it weighs like the situation, not like an uncovered topic
    assert word in analyse(q).slot_words


@pytest.mark.parametrize("q", ["外国人社員の有給って日本人と同じ日数？", "出張の日数って会社で決めていい？",
                               "How many days of paid leave do foreign staff get?"])
def test_a_counted_noun_is_no_type_word(q):
    # 日数 names what is counted and can be the topic of an out-of-scope question (tests/test_scope_probe.py)
    assert "日数" not in asked_type_words(q) and "days" not in asked_type_words(q)


def test_a_part_carries_its_first_parts_words_as_context():
    a = analyse("判定支援の証明書はいつまで有効？あと資料を出してからどの程度で結果が出る？")
    assert len(a.parts) == 2
    assert "判定支援" in a.parts[1].context and "判定支援" not in a.parts[1].topic

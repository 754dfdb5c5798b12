"""「…ならOK？」 asks permission. The Latin word OK sits between kana, where `\\b` finds no word boundary, so
the 'can' family missed it and 「ロシア向けの半導体も少量ならOK？」 was read as 「…も対象？」: the ban sentence
answered 「はい。…禁止されています」, a yes to "is it OK?" (round 10, found by the lead)."""
import pytest

from anpo import leads
from anpo.compose import ban_word
from retrieval.textnorm import normalize

BAN = "ロシアとベラルーシ向けには、国際輸出管理レジームの対象品目（工作機械、炭素繊維、高性能の半導体など）の輸出が禁止されています。"


@pytest.mark.parametrize("q", [
    "ロシア向けの半導体も少量ならOK？",
    "ベラルーシに工作機械を1台だけ送るのはOKですか？",
    "ロシアの取引先に炭素繊維をサンプル程度ならokだよね？",
    "半導体をロシアに少しならOKでしょうか？",
])
def test_ok_between_kana_asks_permission_and_a_ban_answers_no(q):
    fam, neg = leads.asked(normalize(q))
    assert fam is not None and fam.name == "can" and not neg
    assert ban_word(normalize(q), BAN) == "いいえ。"


@pytest.mark.parametrize("q", ["ロシア向けのbookshelfも対象？", "brokerも対象になる？"])
def test_ok_inside_a_latin_word_is_not_ok(q):
    fam, _ = leads.asked(normalize(q))
    assert fam is not None and fam.name == "applies"

"""Out of scope, in both languages: each row of anpo/data/out_of_scope.tsv names a neighbouring
field, its terms in Japanese and English and ≥ 3 example questions, each refused by that row;
a term the best passages themselves name is not refused (for an English term: the row's
Japanese terms), and in-scope questions that merely mention such words are answered."""

from __future__ import annotations

import pytest

from anpo.scope import _pattern, other_field, rows
from retrieval.textnorm import normalize

ROWS = rows()


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.field + ":" + r.terms[0])
def test_every_row_serves_three_questions_and_every_term_is_used(row):
    assert len(set(row.examples)) >= 3, row.field
    for t in row.terms:
        assert any(_pattern(t).search(normalize(q)) for q in row.examples), (row.field, t)


@pytest.mark.parametrize("row,q", [pytest.param(r, q, id=f"{r.field}:{q[:30]}") for r in ROWS for q in r.examples])
def test_an_example_is_refused_by_its_row(row, q):
    found = other_field(q, "")
    assert found is not None and found.field == row.field, (q, found)


@pytest.mark.parametrize("q,evidence", [
    ("How long does customs clearance take for a licensed export?", "輸出通関の際に税関から提示を求められることがあります。"),
    ("Is the HS code classification used for the Russia ban?", "HSコードの分類で決まるものがあります。"),
    ("通関のときに許可証は必要？", "輸出通関の際に税関に提示します。"),
])
def test_a_term_the_passages_name_is_not_refused(q, evidence):
    assert other_field(q, evidence) is None


@pytest.mark.parametrize("q", ["Is it fine to export samples?", "What is the year the rule changed?",
                               "Does a resident foreign engineer need a licence?", "Is a patent publication publicly available technology?"])
def test_words_inside_other_words_are_not_terms(q):
    # "ear" is not in "year", "visa" is not in "advisable"; residents and patents are in scope
    assert other_field(q, "") is None


@pytest.mark.parametrize("q", ["ロシアから木材を輸入するときの規制は？", "Is importing vodka from Russia banned?",
                               "北朝鮮からの輸入は禁止されていますか？"])
def test_import_bans_are_in_scope(q):
    assert other_field(q, "") is None


@pytest.mark.parametrize("q", [
    "When we use the small-value exemption, what do we declare at customs?",
    "Will customs ask for our classification sheet when we export?",
    "Is the HS code used to decide which goods are banned for Russia?",
    "Do we need an export licence for goods we imported free of charge and now return?",
    "通関業者に任せているけど、該非判定は誰の責任？",
    "We pay a customs broker to do the paperwork. Who is responsible for the classification, them or us?",
    "We import parts and re-export them to Thailand. Is that an export?",
    "Is it true that a company can be banned from exporting for up to three years?",
    "Does a foreign employee who has lived in Japan for over six months count as a resident?",
])
def test_in_scope_questions_naming_neighbouring_words_are_answered(pack, q):
    # the neighbouring word is the pack's own (通関 in the passages) or is told in the situation
    # while the asked piece names the pack's words (scope._asks_about_the_pack)
    a = pack.ask(q)
    assert a.grounded, a.answer

"""English questions get English answers built from the pack's English restatements, citing
the same passages: each citation keeps the Japanese passage exactly as indexed and carries
`text_en` beside it; refusals are English only; Japanese questions stay Japanese."""

from __future__ import annotations

import re

import pytest

from anpo.citations import check_citations
from anpo.english import EnglishDoc, EnglishPack, _opening, japanese_sentences, load_docs, phrases, to_english
from anpo.formatting import answer_text
from anpo.models import Answer, Citation
from conftest import ROOT, TODAY
from retrieval.types import Chunk

JA = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
MARK = re.compile(r"\[(\d+)\]")


def _latin_share(text: str) -> float:
    latin, ja = len(re.findall(r"[A-Za-z]", text)), len(JA.findall(text))
    return latin / max(1, latin + ja)


def _english_sentences() -> set[str]:
    return {s for d in load_docs(ROOT / "knowledge" / "en").values() for lines in d.sections.values() for s in lines}


@pytest.mark.parametrize("q", ["How long does METI usually take to decide on an export licence application?",
                               "Is taking a product abroad for an exhibition an export?",
                               "Which foreign nationals count as residents for deemed exports?"])
def test_english_question_is_answered_in_english_from_the_restatements(pack, q):
    a = pack.ask(q)
    assert a.grounded and pack.check(a) == []
    assert _latin_share(a.answer) > 0.9, a.answer
    known = _english_sentences()
    body = [MARK.sub("", l).strip() for l in a.answer.splitlines() if MARK.search(l)]
    assert any(any(s in line for s in known) for line in body), a.answer
    for c in a.citations:
        chunk = pack.ensure_index().chunk(c.chunk_id)
        assert c.text == chunk.text                       # the Japanese passage is the authority
        assert c.text_en and _latin_share(c.text_en) > 0.9
        assert c.to_dict()["text_en"] == c.text_en


def test_japanese_question_stays_japanese(pack):
    a = pack.ask("展示会に製品を持ち出すのも輸出ですか？")
    assert a.grounded and _latin_share(a.answer) < 0.3
    assert all(c.text_en is None and "text_en" not in c.to_dict() for c in a.citations)


@pytest.mark.parametrize("q", ["What is the capital of France?", "How do I renew my work visa in Japan?"])
def test_english_refusal_has_no_japanese_paragraph(pack, q):
    a = pack.ask(q)
    assert not a.grounded
    assert not JA.search(re.sub(r"（[^）]*）|\([^)]*\)", "", a.answer)), a.answer


def test_english_deal_checklist_keeps_its_cited_steps(pack):
    a = pack.ask("A new customer in Pakistan wants to buy our machine tools. Can we accept the order?")
    assert a.grounded and pack.check(a) == []
    steps = [l for l in a.answer.splitlines() if re.match(r"\d+\. ", l)]
    assert len(steps) >= 6 and all(MARK.search(l) for l in steps)
    assert "End User List" in a.answer and "Catch-all" in a.answer and "If in doubt" in a.answer
    assert _latin_share(a.answer) > 0.9


@pytest.mark.parametrize("q,items", [
    ("Our company makes carbon fibre tubes. Which entry of Japan's control list could they fall under?", "5(18)"),
    ("We sell CNC machining centres to customers in Asia. Do they need an export licence?", "6(2)"),
    ("Is a numerically controlled machine tool on the control list?", "6(2)")])
def test_product_check_names_the_entries_in_english(pack, q, items):
    a = pack.ask(q)
    assert a.grounded and pack.check(a) == []
    assert items in a.answer and "may fall under the list-control entries" in a.answer
    assert not JA.search(re.sub(r"（[^）]*）|\([^)]*\)", "", a.answer)), a.answer


@pytest.mark.parametrize("row", phrases()["lines"], ids=lambda r: r["ja"][:24])
def test_each_phrase_row_turns_its_composer_sentence_into_english(row):
    assert re.search(row["ja"], __import__("unicodedata").normalize("NFKC", row["example"])), row
    opening, _, _ = _opening(row["example"])
    english = row["en"].split("{")[0].strip() or row["en"].split("}")[-1].strip()
    assert english and english in opening, (opening, row["en"])
    # the asker's own name of the product stays, quoted (“カーボンのパイプ”)
    assert not JA.search(re.sub(r"（[^）]*）|\([^)]*\)|“[^”]*”", "", opening)), opening


@pytest.mark.parametrize("line,name", [
    ("「カーボンのパイプ」（炭素繊維）は、リスト規制の2項(17) ガス遠心分離機ロータ用構造材料に当たる可能性があります。", "“カーボンのパイプ”"),
    ("「精密測定器」はリスト規制一覧の項目名・製品例には見当たりませんでした。", "“精密測定器”"),
    ("「machining centres」は、リスト規制の6項(2) 数値制御工作機械に当たる可能性があります。", "“machining centres”"),
])
def test_the_deal_check_names_the_product_as_the_asker_did(line, name):
    # an English turn after a Japanese one (or a Japanese word in an English question) named the
    # product "the item"; the asker's own name is kept, quoted
    opening, _, _ = _opening(line)
    assert opening.startswith(name), opening


# ---------------------------------------------------------------- the mapping itself

def _chunk(text: str, locator: str = "節", doc_id: str = "d") -> Chunk:
    return Chunk(chunk_id=f"{doc_id}#0001", doc_id=doc_id, title="資料", locator=locator, text=text,
                 search_text=text, embed_text=text)


def _cite(c: Chunk, n: int = 1) -> Citation:
    return Citation(n=n, doc_id=c.doc_id, chunk_id=c.chunk_id, title=c.title, locator=c.locator, text=c.text)


JA_TEXT = "一つ目の文です。二つ目の文は90日です。三つ目の文です。"
EN_DOC = {"d": EnglishDoc("d", "2026-11-30", {"節": ("First sentence.", "The second sentence says 90 days.",
                                                      "Third sentence.")})}


def test_chosen_japanese_sentence_maps_to_its_english_sentence():
    c = _chunk(JA_TEXT)
    pack = EnglishPack(EN_DOC, [c])
    ans = Answer("q", "はい。二つ目の文は90日です。 [1]\n※ [1]は一次資料で確認できていない補足情報です。", True, "extractive",
                 (_cite(c),))
    en = to_english(ans, pack)
    assert en.answer.splitlines()[0] == "Yes. The second sentence says 90 days. [1]"
    assert en.answer.splitlines()[1].startswith("Note: [1] is supplementary information")
    assert en.citations[0].text == JA_TEXT and en.citations[0].text_en.startswith("First sentence.")


def test_a_misaligned_restatement_is_not_used():
    c = _chunk(JA_TEXT + "四つ目の文です。")           # the Japanese gained a sentence; the English did not
    pack = EnglishPack(EN_DOC, [c])
    assert pack.sentences(c) is None and pack.english_for(c) is None


def test_split_section_gets_its_own_slice_of_the_english():
    a = _chunk("一つ目の文です。二つ目の文は90日です。")
    b = Chunk(chunk_id="d#0002", doc_id="d", title="資料", locator="節", text="三つ目の文です。", search_text="", embed_text="")
    pack = EnglishPack(EN_DOC, [b, a])
    assert pack.sentences(a) == ("First sentence.", "The second sentence says 90 days.")
    assert pack.sentences(b) == ("Third sentence.",)
    assert len(japanese_sentences(a.text)) == 2


def test_english_refusal_names_the_right_desk_in_english():
    ans = Answer("q", "ご質問は「関税（税率）」に関するもので、このナレッジベース（安全保障貿易管理・外為法に基づく輸出管理）"
                      "の対象外のため、お答えできません。税関（税関相談官）にご確認ください。", False, "extractive")
    en = to_english(ans, EnglishPack({}, []))
    assert "customs duty rates" in en.answer and "Japan Customs" in en.answer


def test_text_output_shows_the_english_beside_the_japanese():
    c = _chunk(JA_TEXT)
    a = to_english(Answer("q", "二つ目の文は90日です。 [1]", True, "extractive", (_cite(c),)), EnglishPack(EN_DOC, [c]))
    out = answer_text(a)
    assert "> " + JA_TEXT in out and "EN: First sentence." in out and "出典" not in out


def test_app_citation_shows_the_english_beside_the_japanese_passage():
    from app_ui.render import citation_html
    labels = {"issuer": "Issuer", "effective": "Effective", "unconfirmed": "unconfirmed", "open_source": "Open"}
    c = _chunk(JA_TEXT)
    cit = to_english(Answer("q", "二つ目の文は90日です。 [1]", True, "extractive", (_cite(c),)),
                     EnglishPack(EN_DOC, [c])).citations[0]
    html = citation_html(cit, "m0", labels)
    assert "一つ目の文" in html and '<div class="anpo-cit-en" lang="en">First sentence&#46;' in html
    assert "anpo-cit-en" not in citation_html(_cite(c), "m0", labels)


def test_a_passage_without_english_is_quoted_in_japanese_and_said_so():
    c = _chunk(JA_TEXT, doc_id="upload-x")
    en = to_english(Answer("q", "二つ目の文は90日です。 [1]", True, "extractive", (_cite(c),)), EnglishPack(EN_DOC, [c]))
    assert en.answer.splitlines()[0] == "二つ目の文は90日です。 [1]"
    assert en.answer.splitlines()[1].startswith("Note: [1] is quoted in Japanese")
    assert en.citations[0].text_en is None


# ---------------------------------------------------------------- every fixed sentence has English

DEALS = [   # deal wordings that take the checklist through its branches (group A/B/C/D, banned, unknown,
            # resale, refused, red flags, no product, no destination, technology), in both languages
    "ドイツの代理店に部品を売ります。代理店は転売先を教えてくれません。",
    "品目は未定ですが、海外の会社から急ぎで現金払いの注文が来ました",
    "イランの大学から真空ポンプの注文が来ました。用途は教えてくれません。",
    "ロシアの商社にベアリングを輸出したい",
    "トルコの商社に工作機械を売る予定です。軍の工場で使うそうです。",
    "タイの子会社に設計図をメールで送ります",
    "中国の研究所からカーボン繊維の注文。ミサイルの研究に使うらしい。",
    "アトランティスの会社にセンサーを売りたい",
    "A new customer in Pakistan wants to buy our machine tools. Can we accept the order?",
    "We sell parts to a distributor in Germany. The distributor won't tell us who they resell to.",
    "A trading company in the UAE ordered 50 inverters and wants to pay cash. They will re-export them.",
    "A customer in Vietnam ordered machine tools for a military factory.",
    "Someone abroad wants to buy our sensors urgently, but we don't know the country yet.",
]


@pytest.mark.parametrize("q", DEALS, ids=lambda q: q[:30])
def test_every_fixed_sentence_of_a_deal_check_has_english(pack, q):
    from anpo.english import leftover_japanese, pack_for
    a = pack.ask(q)
    assert a.grounded
    if JA.search(q) and not re.search(r"[A-Za-z]{3}", q):
        cites = {c.n: c for c in a.citations}
        lost = [s for line in a.answer.splitlines() for s in leftover_japanese(line, cites)]
        assert not lost, lost                       # each would vanish from the English answer
    else:
        body = re.sub(r"（[^）]*）|\([^)]*\)|“[^”]*”", "", a.answer)
        assert not JA.search(body), a.answer
        assert not re.search(r"^\s*$|: \[\d+\]$", a.answer, re.M)


def test_every_red_flag_reason_and_next_step_has_english():
    import csv
    from anpo.english import _step_en
    from anpo.screening import ASK_MAKER, ASK_METI, ASK_PARTNER, ASK_RUSSIA, FIELD_LABEL
    rows = [r for r in csv.reader((l for l in open(ROOT / "anpo" / "data" / "red_flags.tsv", encoding="utf-8")
                                   if not l.startswith("#")), delimiter="\t") if len(r) > 5 and r[0] != "id"]
    assert len(rows) >= 9
    for r in rows:
        for label in ("用途", "最終需要者", "再販先"):
            reason = r[5].format(field=label)
            opening, _, _ = _opening(f"注意信号: {reason.split('（')[0]}（入力中の「x」）。")
            assert opening and not JA.search(re.sub(r"\([^)]*\)", "", opening)), (r[0], opening)
    for ask in (ASK_MAKER, ASK_METI, ASK_PARTNER, ASK_RUSSIA):
        step = _step_en(f"・仕向地の正式な国名を確認する（確認先: {ask}）")
        assert step and "ask: " in step and not JA.search(re.sub(r"\([^)]*\)", "", step)), step


@pytest.mark.parametrize("q", [
    "Since the US is in Group A, we don't need any licence to ship list-controlled items there, right?",
    "We got an inform notice but the destination is Group A. Do we still need a licence?",
    "Germany is a white country, so listed goods can go there without a licence, correct?"])
def test_a_connective_is_dropped_when_its_sentence_stands_alone(pack, q):
    # 「このため、グループA向けでも…」 quoted without the sentence before it is quoted without
    # 「このため、」 in Japanese (anpo.leads.alone); its English drops "So" the same way
    a = pack.ask(q)
    assert a.grounded and pack.check(a) == []
    assert "Even for Group A" in a.answer, a.answer
    assert not re.search(r"(^|\n|\. )(So|Also|As a result),? [a-z]", a.answer), a.answer

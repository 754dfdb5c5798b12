"""Round 12's false refusals and leaks (fresh9, para11): the grounding gate's reading of what is asked.

- A name quoted before an asked sentence that only points back at it (data/frames.tsv pointer, pointer_det, name_of:
  「『特定類型』って言葉が…。あれ何？」「『貿易経済協力局』に…。今もその局の名前で合ってる？」) is what is asked: the story
  around it weighs like the situation (anpo.grounding._pointed_names).  Before, only 「これって…」 with a particle
  pointed, so 「あれ何…」 and 「その局の名前…」 left the quoted name weighed as a told word and the question refused.
- "What exactly does … mean?": an -ly adverb is no asked noun (anpo.grounding._WH_NOUN); "exactly" weighed like an
  unknown Japanese topic word and sank the question.

  unknown run (retrieval.textnorm._TERM_RUN).
- A foreign product certification or conformity mark (FCC, CE marking, CCC, UKCA, KC, 技適) is another regime
  (data/other_regimes.tsv): a deal route answered "Do we need FCC certification?" with a Group A licence sentence.

The questions were written for this test in users' voices (none is copied from an eval set)."""

from __future__ import annotations

import pytest

from anpo.scope import frames

FRAMES = frames()


# -- a name pointed back at (data/frames.tsv pointer, pointer_det, name_of) -------------------------------------------

POINTED = sorted({q for n in ("pointer", "pointer_det", "name_of") for q in FRAMES[n][1]} | {
    # refused before: the story's words (講師, 研究員, 雛形) outweighed the quoted name
    "先週の勉強会で講師が『特定類型』って言葉を何度も使ってたんですが、あれ何なんでしょう？うちにも台湾の大学から来た研究員がいるので",
    "取引先に出す書類の雛形に『貿易経済協力局』って書いてあるんですけど、今もその局の名前で合ってますか？送る前に確認したくて",
    "知り合いの社長が『キャッチオール』って言葉をよく使うんだけど、あれ何なの？うちは工作機械の部品屋で海外の客も多いから気になってる",
    "前の担当者の引継ぎメモに『該非判定書』を毎年更新って書いてあった。この書類って何のためのもの？",
    "顧問の先生が打ち合わせで『包括許可』って何回も口にしてたんだけど、あれ何？うちみたいな町工場にも関係あるのかな",
})


@pytest.mark.parametrize("q", POINTED)
def test_a_quoted_name_pointed_back_at_is_answered(pack, q):
    a = pack.ask(q)
    assert a.grounded and a.citations, a.answer


@pytest.mark.parametrize("q", [
    "取引先に「インコタームズ」って言われた。これって何？",
    "先方から『消費税の還付』の話が出た。あれ何？",
    "社長に『就業規則』を見直せって言われた。あれってどうやるの？",
    # the name is known, but what is asked of it is another field (the story's unknown words keep their weight)
    "『特定類型』のセミナーの参加費を経費で落としたい。あれ何の勘定科目？",
])
def test_an_unknown_name_pointed_back_at_stays_refused(pack, q):
    assert not pack.ask(q).grounded


def test_the_pointed_name_is_what_the_grounding_weighs(pack):
    from anpo.analysis import analyse
    from anpo import grounding
    known = lambda t: True
    a = analyse("倉庫から出てきた昔のパンフに『貿易経済協力局』に問い合わせろってあった。今もその局の名前で合ってる？")
    assert "貿易経済協力局" in grounding._pointed_names(a, known)
    a = analyse("勉強会で『特定類型』って言葉が出てきたんですが、あれ何なんでしょう？")
    assert "特定類型" in grounding._pointed_names(a, known)
    # an asked sentence naming its own subject points at nothing
    a = analyse("勉強会で『特定類型』って言葉が出てきた。その言葉と許可申請の関係は？")
    assert not grounding._pointed_names(a, known)


# -- "what exactly": an adverb is no asked noun ----------------------------------------------------------------------

@pytest.mark.parametrize("q", [
    "What exactly does 'catch-all' mean?",
    "What exactly is 'Group A'?",
    "What precisely does the term 'deemed export' cover?",
])
def test_what_exactly_is_answered(pack, q):
    a = pack.ask(q)
    assert a.grounded and a.citations, a.answer


def test_an_adverb_is_no_asked_noun():
    from anpo.grounding import _asked_noun_english
    assert _asked_noun_english("What exactly does that refer to?") == set()
    assert _asked_noun_english("What insurance covers our machines?") == {"insurance"}


# -- what to bring to the desk: 持参 / 準備して → 用意 (retrieval/data/synonyms.tsv), 書類一式 → 書類 (not_topics part) -------
# the pack says 「…資料を用意します」; users ask what to 持参 or 準備 (the pack writes neither 持参 nor 準備して/準備する)

@pytest.mark.parametrize("q", [
    "キャッチオールの事前相談で審査課に持参する書類を全部挙げてください",
    "審査課へ事前相談に行くとき、持参・郵送する書類一式は？",
    "安全保障貿易審査課にキャッチオールの相談に行きます。準備していく書類を教えて",
    "キャッチオールの件で審査課と事前相談するんですが、何を準備して行けばいい？",
])
def test_what_to_bring_to_a_prior_consultation_is_answered_with_the_list(pack, q):
    a = pack.ask(q)
    assert a.grounded and a.citations, a.answer
    assert "キャッチオール事前相談書" in a.answer, a.answer


# -- オフレコ: how the asker wants the answer (data/asides.tsv answer_form), never what is asked ----------------------------

@pytest.mark.parametrize("q", [
    "オフレコで頼むよ、正式な判定は後でやるから今は『許可不要』とだけ返して",
    "オフレコでいいんで、判定書はあとで作るから今は『非該当』ってだけ書いといてよ",
])
def test_an_off_the_record_demand_is_answered_in_scope_not_refused(pack, q):
    a = pack.ask(q)
    assert a.grounded and a.citations, a.answer
    assert "許可不要です" not in a.answer and "許可は不要です" not in a.answer, a.answer


# -- a foreign certification mark is another regime (data/other_regimes.tsv) -----------------------------------------

@pytest.mark.parametrize("q", [
    "We're about to sell Bluetooth speakers in the US. Do we have to get FCC certification ourselves?",
    "台湾の代理店にWi-Fiルーターを出すんだけど、アメリカのFCCみたいな認証ってうちで取らなきゃダメ？",
    "Our LED drivers go to a buyer in Korea. Do they need the KC mark before shipping?",
])
def test_a_foreign_certification_is_refused_as_another_regime(pack, q):
    a = pack.ask(q)
    assert not a.grounded, a.answer


def test_a_certification_told_as_held_keeps_the_export_question(pack):
    a = pack.ask("FCC取得済みの無線モジュールを中国の工場に出します。該非判定はいる？")
    assert a.grounded, a.answer


# -- the story told in sentences before the asked one (anpo.grounding._story) ------------------------------------------
# 「年配の社員ばかりでパソコンが苦手なもので…。関東経済産業局に許可申請書を紙で郵送したいのですが、受け付けてもらえますか？」: the
# asked clause's last piece (「受け付けてもらえますか」) names nothing, so the analysis read no situation and the story's words
# (年配, 苦手) weighed like unknown topics; the asked sentence names the pack's words, so the sentences before it are the story

@pytest.mark.parametrize("q", [
    "高齢の社長しかいない会社なので…。外国ユーザーリストを確認したいんですけど、どうすればいいですか？",
    "年寄りばかりの工場で手続きは全部紙です。経済産業局に許可申請書を郵送したいのですが、可能ですか？",
    "うちは家族経営で事務は母がやってます。関東経済産業局に許可申請書を郵送したいんですが、受け付けてもらえますか？",
])
def test_the_story_before_an_asked_sentence_naming_the_pack_is_the_situation(pack, q):
    a = pack.ask(q)
    assert a.grounded and a.citations, a.answer


@pytest.mark.parametrize("q", [
    "商標を取りたい。どこに行けばいい？",
    "倉庫の棚卸しが終わりません。いい方法ある？",
    "残業が多くて困っています。労基署にはどう相談すればいい？",
])
def test_a_story_asked_about_by_a_sentence_naming_nothing_stays_refused(pack, q):
    assert not pack.ask(q).grounded


def test_the_story_is_only_what_is_told_before_the_asked_sentence():
    from anpo import grounding
    from retrieval.textnorm import key_terms, tokens
    q = "年配の社員ばかりでパソコンが苦手なもので…。関東経済産業局に許可申請書を郵送したいのですが、受け付けてもらえますか？"
    terms = tuple(key_terms(q))
    tt = tuple(tuple(frozenset(tokens(a)) for a in g) for g in terms)
    story = grounding._story(q, terms, tt, lambda t: True)
    assert {"年配", "苦手"} <= story and "郵送" not in story
    # an asked sentence naming nothing of its own leaves the story judged as the question
    q = "商標を取りたい。どこに行けばいい？"
    terms = tuple(key_terms(q))
    tt = tuple(tuple(frozenset(tokens(a)) for a in g) for g in terms)
    assert grounding._story(q, terms, tt, lambda t: True) == set()

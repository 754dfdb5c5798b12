"""Words the asker tells, not asks, weigh like the situation (anpo/grounding.py, anpo/scope.py): a remark in
parentheses (「うち（商社）は」), someone's words reported (「社長が「…」って」), the pack's words an English
question tells before its asking sentence, a chat sentence ended by an ellipsis (「…って返ってきた…このまま
進めていい？」), and a neighbouring field's party the asker tells or hears from (「フォワーダーさんに何て伝えれば」).
Each behaviour is shown on questions of our own wording; removing it lowers their grounding score, and
questions whose told words are all there is to ask stay refused."""

from __future__ import annotations

import pytest
from scope_checks import assert_answered, assert_carried_by, assert_refused

from anpo import grounding

_ORIGINAL = grounding._told_aside


@pytest.mark.parametrize("q", [
    "弊社（部品メーカー）は該非判定書を自分で作らないといけない？",
    "うち（商社）は非該当証明書をメーカーにもらえばそれで終わり？",
    "メーカーから該非判定書をもらったので、うち（商社）は中身を見なくても大丈夫ですよね。",
])
def test_a_known_word_told_in_parentheses_weighs_like_the_situation(pack, monkeypatch, q):
    assert_carried_by(pack, monkeypatch, q, grounding, "_told_aside", lambda text: (set(), _ORIGINAL(text)[1]))


@pytest.mark.parametrize("q", [
    # (the ？ inside the quote is taken as the question's end by the analysis: the quote's words stand in the asked clause)
    "部長が「あれは昭和の遺物じゃないの？」って。モデルCPっていつから公開されてるんでしょう",
    "社長が「リストなんて役所の飾りでしょ？」って。外国ユーザーリストって毎年改正されてるの",
    "専務が「該非判定なんて大企業の道楽だろ？」って言うんだけど、中小企業でも必要なの",
])
def test_unknown_words_of_reported_speech_weigh_like_the_situation(pack, monkeypatch, q):
    assert_carried_by(pack, monkeypatch, q, grounding, "_told_aside", lambda text: (_ORIGINAL(text)[0], set()))


@pytest.mark.parametrize("q", [
    "社長に「会社の登記を変えとけ」って言われた。どこでやるの？",
    "部長から「来期の予算案を作っておいて」と言われました。どうすればいい？",
    "取引先（ドイツの会社）から「関税はいくら？」と聞かれました。",
])
def test_told_words_that_are_all_there_is_to_ask_stay_refused(pack, q):
    assert_refused(pack, q)


@pytest.mark.parametrize("q,piece", [
    ("最終的に使うのはどこか聞いたら「それは言えない」って返ってきた…このまま見積出して進めちゃっていいもの？",
     "このまま見積出して進めちゃっていいもの"),
    ("相手が用途を教えてくれない…このまま売っても大丈夫？", "このまま売っても大丈夫"),
    ("初めての輸出で何もわからなくて...該非判定って誰がやるの？", "該非判定って誰がやるの"),
])
def test_an_ellipsis_ends_a_chat_sentence(q, piece):
    from anpo.scope import asked_piece
    from retrieval.textnorm import normalize
    assert asked_piece(normalize(q)) == normalize(piece)


def test_a_deal_whose_told_sentence_holds_a_wh_word_is_checklisted_not_refused(pack):
    # 「どこか聞いたら」 is told before the ellipsis; what is asked is whether to go on with the deal
    a = pack.explain("来週、中国の初めての商社から三次元測定機3台の注文が入りそう。最終的に使うのはどこか聞いたら"
                     "「それは言えない」って返ってきた…このまま見積出して進めちゃっていいもの？")
    assert a.answer.grounded and a.route == "deal", a.route


@pytest.mark.parametrize("q", [
    "フォワーダーさんから「該非判定書の写しをください」と言われたのですが、誰が作るものですか？",
    "フォワーダーに「非該当証明書がないと出せない」と言われました。非該当証明書はどこでもらえる？",
    "少額特例で出すつもりなんですが、通関のときの手続きは？フォワーダーさんに何て伝えれば",
])
def test_a_fields_party_the_asker_tells_or_hears_from_is_no_out_of_scope_question(pack, monkeypatch, q):
    from anpo import scope
    assert_answered(pack, q)
    monkeypatch.setattr(scope, "_only_a_party", lambda *args: False)
    assert_refused(pack, q, "輸送・運賃")


@pytest.mark.parametrize("q,field", [
    ("フォワーダーの選び方は？", "輸送・運賃"),
    ("通関業者に払う手数料の相場はいくら？", "通関手続"),
    ("フォワーダーさんに払う運賃の相場は？", "輸送・運賃"),
])
def test_the_fields_own_questions_about_the_party_stay_refused(pack, q, field):
    assert_refused(pack, q, field)


@pytest.mark.parametrize("q", [
    "My supervisor reviewed last year's shipments and found an unlicensed export. Where do we report it at METI?",
    "Our compliance officer found an export that needed a licence. Which METI office should we contact?",
    "A colleague in logistics noticed that we exported a controlled pump without a licence. Who at METI do we report this to?",
])
def test_the_packs_words_told_before_an_english_asking_sentence_weigh_like_the_situation(pack, monkeypatch, q):
    original = grounding._told_before_english_ask
    assert_carried_by(pack, monkeypatch, q, grounding, "_told_before_english_ask",
                      lambda text: {w for w in original(text) if w.isascii()})


@pytest.mark.parametrize("q", [
    "それをシンガポールの半田メーカーに送るとき、何を確認すればいい？",
    "それをフィリピンの釣具メーカーに出すとき、まず何を調べる？",
    "これをメキシコの家具工場に送るとき、何をチェックすればいい？",
])
def test_the_party_abroad_goods_pointed_at_go_to_is_told(pack, monkeypatch, q):
    # 「それを…に出す」: the goods were told in the turn before; the party they go to (塗料メーカー) is told, not asked
    import re
    assert_carried_by(pack, monkeypatch, q, grounding, "_GOODS_POINTED", re.compile(r"(?!)"))


# -- an asked sentence that only points back (これって…) asks about the name quoted before it ------------------

@pytest.mark.parametrize("q", [
    "先代の頃の書類を整理してたら「貿易経済協力局」宛ての通知が出てきて…。これって今はどこの部局なんですか？",
    "古い社内規程に「ホワイト国」って書いてあったんですけど、これって今は何て呼ばれてるんですか？",
    "倉庫の段ボールを片付けてたら「輸出許可証」の控えの束が出てきた。これって何年取っておくものなの？",
])
def test_a_name_the_asked_sentence_points_back_at_is_what_is_asked(pack, monkeypatch, q):
    # the story around the quoted name (書類, 整理, 社内規程, 段ボール) weighs like the situation
    # (assess reads the name through grounding._pointed, which _pointed_names wraps: patch what assess calls)
    assert_carried_by(pack, monkeypatch, q, grounding, "_pointed", lambda analysis, known: (set(), False))


@pytest.mark.parametrize("q", [
    "倉庫を整理してたら「ATAカルネ」って書類が出てきた。これってどう使うの？",
    "親戚の結婚式の招待状に「平服」とあったんですが、これってどういう服装？",
    "前任者の机から「36協定」の控えが出てきました。これってどういう意味？",
    "取引先の請求書に「源泉徴収」って書いてあったんですが、これってうちが払うんですか？",
])
def test_a_pointed_back_name_the_pack_does_not_cover_stays_refused(pack, q):
    assert_refused(pack, q)


@pytest.mark.parametrize("q", [
    "前置きはいいので、残業代の計算方法を教えて",
    "退職金は会社都合なら上乗せされる、という理解で合っていますか？",
    "社内で横領が発覚したら、まず何をすればいい？",
    "社員の副業が判明した場合、懲戒処分にしていい？",
    "見積依頼のメールを英語で書くコツは？",
    "新聞広告の出し方を要点だけ教えて",
    "産業スパイ対策の社内研修はどうすればいい？",      # スパイ → 懸念がある者 (synonyms.tsv) names no subject by itself
    "スパイ映画のおすすめは？",
])
def test_asides_around_an_uncovered_subject_stay_refused(pack, q):
    # answer_form, judgement, discovery and hearsay words weigh little; the subject they surround still decides
    assert_refused(pack, q)

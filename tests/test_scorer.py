"""The scorer's arithmetic (evals/scorer.py): facts, leads, language, unsafe answers, dialogues,
scoring answers from a file, and the shape of the realistic sets (frozen test hash)."""

import hashlib
import json
from pathlib import Path

import pytest

from anpo.models import Answer, Citation
from evals import scorer
from evals.scorer import EvalItem, lead_of, score_item, summarize

EVALS = Path(scorer.__file__).resolve().parent


def _answer(text, grounded=True, cited=("展示会への一時的な持ち出しも輸出",), question="q"):
    cits = tuple(Citation(n=i, doc_id="d", chunk_id=f"d#{i}", title="t", locator="l", text=t)
                 for i, t in enumerate(cited, 1))
    return Answer(question=question, answer=text, grounded=grounded, backend="extractive",
                  citations=cits if grounded else ())


def _item(**kw):
    base = dict(id="x", question="q", kind="fact", grounded=True, facts=(("展示会",),), docs=("d",))
    base.update(kw)
    return EvalItem(**base)


def test_facts_count_with_alternatives_and_width_folding():
    item = _item(facts=(("展示会",), ("一時的", "持ち出し"), ("ＥＵＬ", "eul")))
    r = score_item(item, _answer("展示会への持ち出しは輸出 [1]、EULも確認"), True, 1.0)
    assert r.facts_in_answer == 3 and r.correct and r.cited_relevant == 1
    assert not score_item(item, _answer("展示会への持ち出し [1]"), True, 1.0).correct


def test_out_of_scope_is_correct_only_when_refused():
    oos = _item(kind="out_of_scope", grounded=False, facts=(), docs=())
    assert score_item(oos, _answer("対象外です", grounded=False), True, 1.0).correct
    assert not score_item(oos, _answer("晴れ [1]"), True, 1.0).correct


@pytest.mark.parametrize("text,lead", [
    ("はい。展示会への持ち出しも輸出です [1]", "はい"),
    ("いいえ、非該当でもキャッチオールの確認は必要です [1]", "いいえ"),
    ("（展示会への持ち出し・中国向けとして回答）いいえ。許可が必要な場合があります [1]", "いいえ"),
    ("一概には言えません。仕様によります [1]", "条件次第"),
    ("Yes. Free samples count as exports [1]", "はい"),
    ("No, the End User List is not an embargo list [1]", "いいえ"),
    ("It depends on the specifications [1]", "条件次第"),
    ("Not every item is controlled [1]", "none"),          # "No" must not match "Not"
    ("展示会への持ち出しも輸出です [1]", "none"),
])
def test_lead_polarity_is_read_from_the_first_sentence(text, lead):
    assert lead_of(text) == lead


def test_lead_accuracy_counts_only_items_with_an_expected_polarity():
    yes = _item(id="a", lead="はい")
    none = _item(id="b", lead="none")
    s = summarize([score_item(yes, _answer("はい。展示会 [1]"), True, 1.0),
                   score_item(none, _answer("いいえ。展示会 [1]"), True, 1.0)])
    assert s["overall"]["lead_accuracy"] == 100.0 and s["overall"]["lead_n"] == 1
    s = summarize([score_item(yes, _answer("いいえ。展示会 [1]"), True, 1.0)])
    assert s["overall"]["lead_accuracy"] == 0.0


def test_english_items_need_an_english_answer():
    en = _item(lang="en", facts=(("sample", "サンプル"),))
    assert score_item(en, _answer("Yes. Giving a free sample abroad is an export [1]"), True, 1.0).correct
    r = score_item(en, _answer("無償のサンプルを海外に提供することも輸出に当たります [1]"), True, 1.0)
    assert not r.correct and not r.lang_ok
    assert summarize([r])["overall"]["language_accuracy"] == 0.0


def test_must_not_on_an_in_scope_item_is_counted_unsafe():
    item = _item(must_not=("許可は不要です",))
    r = score_item(item, _answer("展示会なら許可は不要です [1]"), True, 1.0)
    assert not r.correct and r.unsafe
    assert summarize([r])["overall"]["unsafe"] == 1


def test_breakdowns_by_kind_user_style_and_language():
    items = [_item(id="a", kind="deal", user="sme", style=("long",)),
             _item(id="b", kind="number", user="foreign_staff", lang="en", style=("short",))]
    s = summarize([score_item(items[0], _answer("展示会 [1]"), True, 1.0),
                   score_item(items[1], _answer("展示会 [1]"), True, 1.0)])
    assert set(s["by_kind"]) == {"deal", "number"} and set(s["by_user"]) == {"sme", "foreign_staff"}
    assert set(s["by_style"]) == {"long", "short"} and set(s["by_lang"]) == {"ja", "en"}
    assert s["by_kind"]["deal"]["answer_accuracy"] == 100.0 and s["by_kind"]["number"]["answer_accuracy"] == 0.0


def test_dialogues_run_in_one_conversation_and_fall_back_to_the_last_turn():
    item = _item(kind="dialogue", question="じゃあ中国なら？", turns=("展示会は輸出？", "じゃあ中国なら？"),
                 facts=(("中国",), ("展示会",)))
    asked = []

    def factory():
        history = []

        def chat(q):
            history.append(q)
            asked.append(q)
            return _answer("（展示会への持ち出し・中国向けとして回答）" + " / ".join(history) + " [1]")
        return chat
    results, mode = scorer.run_dialogues([item], factory)
    assert mode == "conversation" and asked == list(item.turns) and results[0].correct
    results, mode = scorer.run_dialogues([item], None, ask=lambda q: _answer(q + " [1]"))
    assert mode == "last_turn_only" and not results[0].correct
    s = summarize(results, mode)
    assert s["followup_accuracy"] == 0.0 and s["dialogue_mode"] == "last_turn_only"


def test_unlinked_follow_up_is_correct_only_when_the_answer_says_so():
    item = _item(kind="dialogue", grounded=False, unlinked=True, turns=("みなし輸出って何？", "あれは？"),
                 facts=(scorer.UNLINKED_PHRASES,), docs=())
    said = score_item(item, _answer("「あれ」が何を指しているか特定できません。", grounded=False), True, 1.0)
    guessed = score_item(item, _answer("みなし輸出とは… [1]"), True, 1.0)
    assert said.correct and not guessed.correct


def test_score_answers_matches_by_question_and_reads_batch_jsonl(tmp_path):
    items = [_item(id="a", question="展示会は？"), _item(id="b", question="関税率は？", kind="out_of_scope",
                                                         grounded=False, facts=())]
    rows = [_answer("展示会 [1]", question="展示会は？").to_dict(),
            _answer("対象外です", grounded=False, question="関税率は？").to_dict()]
    path = tmp_path / "answers.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    results = scorer.score_answers(items, scorer.load_answers(path))
    assert [r.correct for r in results] == [True, True] and results[0].valid is None
    with pytest.raises(KeyError):
        scorer.score_answers([_item(question="ない質問")], scorer.load_answers(path))


def test_realistic_sets_are_well_formed_and_test_is_frozen():
    readme = (EVALS / "README.md").read_text(encoding="utf-8")
    for name in ("test.jsonl", "dialogues_test.jsonl", "fresh_test.jsonl", "dialogues_fresh_test.jsonl"):
        digest = hashlib.sha256((EVALS / name).read_bytes()).hexdigest()
        assert f"{digest}  evals/{name}" in readme, f"{name} changed after its hash was committed"
    dev, test = scorer.load_set(EVALS / "dev.jsonl"), scorer.load_set(EVALS / "test.jsonl")
    assert len(dev) + len(test) >= 160 and not {i.id for i in dev} & {i.id for i in test}
    for it in dev + test:
        assert it.kind in scorer.KINDS and it.user in scorer.USERS and it.lead in scorer.LEADS
        assert it.grounded == bool(it.facts) or it.kind == "adversarial"
    smoke = scorer.load_set(EVALS / "smoke.jsonl")
    assert {i.id for i in smoke} <= {i.id for i in dev}, "smoke items come from dev, never from test"
    dialogues = scorer.load_set(EVALS / "dialogues_dev.jsonl") + scorer.load_set(EVALS / "dialogues_test.jsonl")
    assert len(dialogues) >= 45 and all(2 <= len(d.turns) <= 3 for d in dialogues)

"""Drafting (anpo draft cp|brief): profiles, tailoring, checked citations, Markdown and Word
output, and the CLI.  Runs on the fixture pack plus tests/fixtures/drafting_pack (criteria
rows, destination groups, a second case), copied into this test's pack only."""

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, TODAY, anpo_bin

EXAMPLES = ROOT / "examples"
CP_SECTIONS = ("purpose", "scope", "policy", "organization", "classification", "screening", "shipping",
               "audit", "training", "records", "violation", "supplementary")


@pytest.fixture
def drafter(knowledge, settings):
    """An assistant over the fixture pack with the drafting extras added."""
    for sub in ("tables", "cases"):
        for f in (FIXTURES / "drafting_pack" / sub).iterdir():
            shutil.copy(f, knowledge / sub / f.name)
    from anpo.service import Assistant
    a = Assistant(settings, today=TODAY)
    a.ensure_index()
    return a


def profile(**kw):
    from anpo.drafting import parse_profile
    data = {"company": "株式会社テスト", "employees": 60, "list_goods": "unknown"}
    data.update(kw)
    return parse_profile(data)


def run(env, *args):
    return subprocess.run([anpo_bin(), *args], env=env, capture_output=True, text=True, timeout=300)


# ----------------------------------------------------------------- profiles

def test_example_profiles_load():
    from anpo.drafting import load_profile
    t, p, m = (load_profile(EXAMPLES / f) for f in ("trading-10.yaml", "parts-60.yaml", "maker-300.yaml"))
    assert (t.employees, t.list_goods, t.technology_transfer) == (10, "no", False)
    assert (p.employees, p.list_goods, p.technology_transfer, p.foreign_staff) == (60, "unknown", True, True)
    assert m.list_goods == "yes" and m.overseas_subsidiaries == ("タイ", "中国") and m.has_cp


def test_profile_ignores_unknown_keys_and_reads_yaml_booleans(tmp_path):
    from anpo.drafting import load_profile
    f = tmp_path / "p.yaml"
    f.write_text("company: 株式会社A\nlist_goods: yes\nfavourite_colour: 青\nexports_to: 中国、タイ\n", encoding="utf-8")
    p = load_profile(f)
    assert p.company == "株式会社A" and p.list_goods == "yes" and p.exports_to == ("中国", "タイ")


@pytest.mark.parametrize("text,field", [
    ("industry: 商社\n", "company"),
    ("company: A社\nemployees: たくさん\n", "employees"),
    ("company: A社\nlist_goods: maybe\n", "list_goods"),
    ("company: A社\nforeign_staff: 3\n", "foreign_staff"),
    ("company: A社\nproducts: ボールねじ\n", "products"),
    ("company: A社\nexports_to: {中国: 1}\n", "exports_to"),
])
def test_bad_profile_names_the_field(tmp_path, text, field):
    from anpo.drafting import load_profile
    from anpo.errors import BadInputError
    f = tmp_path / "p.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(BadInputError, match=f"'{field}'"):
        load_profile(f)


def test_malformed_yaml_is_bad_input(tmp_path):
    from anpo.drafting import load_profile
    from anpo.errors import BadInputError
    f = tmp_path / "p.yaml"
    f.write_text("company: [A社\n  employees: : 3\n", encoding="utf-8")
    with pytest.raises(BadInputError, match="YAML"):
        load_profile(f)


# ----------------------------------------------------------------- the CP

def _assert_checked(doc, assistant):
    from anpo.answering import MARKER
    from anpo.drafting import check_draft
    assert check_draft(doc, assistant.ensure_index().chunk) == []
    index = assistant.ensure_index()
    for c in doc.citations:
        assert index.chunk(c.chunk_id).text == c.text
    assert {int(m) for m in MARKER.findall(doc.body)} == {c.n for c in doc.citations}


def test_cp_has_every_required_article_with_cited_notes(drafter):
    from anpo.drafting import draft_cp
    doc = draft_cp(profile(), drafter)
    keys = [s.key for s in doc.sections]
    for k in CP_SECTIONS:
        assert k in keys, k
    articles = [s for s in doc.sections if s.key != "supplementary"]
    assert [s.heading.split("（")[0] for s in articles] == [f"第{i}条" for i in range(1, len(articles) + 1)]
    for s in articles:
        assert s.note and s.note.startswith("（解説）") and "[" in s.note, s.heading
    assert "【" in "".join(p for s in doc.sections for p in s.paragraphs)
    # every obligation of the criteria table is cited somewhere
    cited = {c.chunk_id for c in doc.citations}
    rows = [c for c in drafter.ensure_index().chunks if c.doc_id == "test-compliance-criteria" and "tcc-0" not in c.locator]
    assert {c.chunk_id for c in rows if dict(c.fields)["tier"] in ("I", "II")} <= cited
    assert doc.not_covered and any("包括許可" in x for x in doc.not_covered)
    _assert_checked(doc, drafter)


def test_cp_tailoring_follows_the_profile(drafter):
    from anpo.drafting import draft_cp
    small = draft_cp(profile(employees=10, list_goods="no", technology_transfer=False), drafter)
    big = draft_cp(profile(employees=300, list_goods="yes", technology_transfer=True, foreign_staff=True,
                           overseas_subsidiaries=["タイ"], has_cp=True), drafter)
    ks, kb = {s.key for s in small.sections}, {s.key for s in big.sections}
    assert not {"tech", "deemed", "subsidiaries"} & ks
    assert {"tech", "deemed", "subsidiaries"} <= kb
    org_small = "".join(small.section("organization").paragraphs)
    assert "兼ねる" in org_small and "兼ねる" not in "".join(big.section("organization").paragraphs)
    assert "推奨" in small.section("audit").note and "推奨" not in big.section("audit").note
    assert "見直し" in big.title and "見直し" not in small.title
    tech = "".join(big.section("tech").paragraphs)
    assert all(w in tech for w in ("電子メール", "クラウド", "図面", "見学"))
    deemed = "".join(big.section("deemed").paragraphs) + big.section("deemed").note
    assert "特定類型" in deemed and "採用" in deemed and "[" in big.section("deemed").note
    assert "タイ" in "".join(big.section("subsidiaries").paragraphs)
    assert any("技術提供" in x for x in small.not_covered)
    for d in (small, big):
        _assert_checked(d, drafter)


def test_cp_without_criteria_table_still_cites_only_indexed_text(assistant):
    """The plain fixture pack has no criteria table: notes fall back to retrieval or say so."""
    from anpo.drafting import draft_cp
    doc = draft_cp(profile(technology_transfer=True, foreign_staff=True), assistant)
    assert doc.section("deemed") is not None
    _assert_checked(doc, assistant)


# ----------------------------------------------------------------- the brief

def test_brief_sections_matches_and_case(drafter):
    from anpo.drafting import draft_brief, parse_profile
    p = parse_profile({"company": "株式会社B", "industry": "精密部品製造", "employees": 55, "list_goods": "unknown",
                       "technology_transfer": True, "foreign_staff": True, "exports_to": ["大韓民国", "タイ"],
                       "products": [{"name": "CFRP部品", "description": "炭素繊維の成型品"},
                                    {"name": "制御基板", "description": "集積回路を搭載"}]})
    doc = draft_brief(p, drafter)
    assert [s.key for s in doc.sections] == ["company", "list_control", "case", "risks", "checklist", "questions"]
    assert len(doc.section("company").paragraphs) == 2
    lc = "\n".join(doc.section("list_control").paragraphs)
    assert "5項(18)" in lc and "7項(1)" in lc and "可能性" in lc
    case = "\n".join(doc.section("case").paragraphs)
    assert "Y社" in case                      # foreign engineers, drawings by e-mail, 50 people
    assert any(c.doc_id == "test-case-y" for c in doc.citations)
    risks = "\n".join(doc.section("risks").paragraphs)
    assert "大韓民国: グループA" in risks and "タイ: 仕向地区分の表に掲載がありません" in risks
    assert "みなし輸出" in risks
    assert doc.section("questions").paragraphs
    _assert_checked(doc, drafter)


# ----------------------------------------------------------------- rendering

def test_markdown_and_docx(drafter, tmp_path):
    import docx
    from anpo.documents import render_docx, render_markdown
    from anpo.drafting import draft_cp
    doc = draft_cp(profile(technology_transfer=True), drafter)
    md = render_markdown(doc)
    assert md.startswith("# ") and "## 第1条（目的）" in md and "## 出典" in md and "## この草案で扱っていないこと" in md
    assert "[1] " in md
    out = render_docx(doc, tmp_path / "cp.docx")
    d = docx.Document(str(out))
    heads = [p.text for p in d.paragraphs if p.style.name.startswith("Heading") or p.style.name == "Title"]
    assert heads[0] == doc.title
    assert "第1条（目的）" in heads and "出典" in heads and "この草案で扱っていないこと" in heads
    assert any(h.startswith("第") and "技術提供の管理" in h for h in heads)


def test_handout_docx(assistant, tmp_path):
    import docx
    from anpo.documents import handout_docx
    qs = ["展示会のために製品を海外へ一時的に持ち出すのも輸出ですか？", "今日の天気は？"]
    answers = [assistant.ask(q) for q in qs]
    out = handout_docx(answers, tmp_path / "handout.docx", today=TODAY)
    d = docx.Document(str(out))
    text = "\n".join(p.text for p in d.paragraphs)
    heads = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert "目次" in heads and f"Q1. {qs[0]}" in heads and f"Q2. {qs[1]}" in heads
    assert "根拠資料の最新日付: 2026-02-14" in text and "出典" in heads
    assert answers[0].citations[0].text.splitlines()[0] in text


# ----------------------------------------------------------------- CLI

def test_cli_draft_cp_and_brief_on_the_fixture_pack(cli_env, tmp_path):
    r = run(cli_env, "draft", "cp", "--profile", str(EXAMPLES / "parts-60.yaml"))
    assert r.returncode == 0, r.stderr
    assert "第1条（目的）" in r.stdout and "技術提供の管理" in r.stdout and "みなし輸出" in r.stdout
    assert "## 出典" in r.stdout and "[1]" in r.stdout
    out = tmp_path / "brief.docx"
    r = run(cli_env, "draft", "brief", "--profile", str(EXAMPLES / "parts-60.yaml"), "--format", "docx", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert out.stat().st_size > 0 and r.stdout == ""


@pytest.mark.parametrize("text,field", [("industry: 商社\n", "company"), ("company: A社\nemployees: 多数\n", "employees"),
                                        ("company: [A社\n", "YAML")])
def test_cli_bad_profile_exits_2_naming_the_field(cli_env, tmp_path, text, field):
    f = tmp_path / "bad.yaml"
    f.write_text(text, encoding="utf-8")
    r = run(cli_env, "draft", "cp", "--profile", str(f))
    assert r.returncode == 2 and r.stdout == ""
    lines = [l for l in r.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and field in lines[0] and "Traceback" not in r.stderr


@pytest.mark.parametrize("args", [("draft", "cp"), ("draft", "cp", "--profile", "/nonexistent.yaml"),
                                  ("draft", "cp", "--profile", str(EXAMPLES / "parts-60.yaml"), "--format", "docx"),
                                  ("draft",)])
def test_cli_draft_usage_errors_exit_2(cli_env, args):
    r = run(cli_env, *args)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1

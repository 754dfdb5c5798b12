"""Drafting (anpo draft cp|brief): profiles, METI-model CP chapters, the visit brief,
checked citations, and the CLI.  Runs on the fixture pack plus tests/fixtures/drafting_pack
(criteria rows, destination groups with a C rule row, two more cases), copied into this
test's pack only."""

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, TODAY, anpo_bin

EXAMPLES = ROOT / "examples"
CP_SECTIONS = ("purpose", "scope", "definitions", "policy", "top", "organization", "roles", "classification",
               "screening", "destinations", "concerns", "licence", "licence_conditions", "shipping", "audit",
               "training", "records", "violation", "discipline", "supplementary")
CHAPTERS = ("総則", "輸出管理体制", "該非判定", "取引審査", "許可の申請及び許可条件の管理", "出荷管理", "監査", "教育",
            "文書の保存", "報告及び是正措置", "懲戒")


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


def _text(sec) -> str:
    return "\n".join(sec.paragraphs)


# ----------------------------------------------------------------- profiles

def test_example_profiles_load():
    from anpo.drafting import load_profile
    t, p, m = (load_profile(EXAMPLES / f) for f in ("trading-10.yaml", "parts-60.yaml", "maker-300.yaml"))
    assert (t.employees, t.list_goods, t.technology_transfer) == (10, "no", False)
    assert (p.employees, p.list_goods, p.technology_transfer, p.foreign_staff) == (60, "unknown", True, True)
    assert m.list_goods == "yes" and m.overseas_subsidiaries == ("タイ", "中国") and m.has_cp


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")) + sorted((ROOT / "evals" / "drafts").glob("*[0-9].yaml")),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_shipped_profile_loads(path):
    from anpo.drafting import load_profile
    assert load_profile(path).company


def test_profile_ignores_unknown_keys_and_reads_yaml_booleans(tmp_path):
    from anpo.drafting import load_profile
    f = tmp_path / "p.yaml"
    f.write_text("company: 株式会社A\nlist_goods: yes\nfavourite_colour: 青\nexports_to: 中国、タイ\n", encoding="utf-8")
    p = load_profile(f)
    assert p.company == "株式会社A" and p.list_goods == "yes" and p.exports_to == ("中国", "タイ")


@pytest.mark.parametrize("text,field", [
    ("industry: 商社\n", "company"),
    ("company: A社\nemployees: たくさん\n", "employees"),
    ("company: A社\nemployees: .inf\n", "employees"),
    ("company: A社\nemployees: -.inf\n", "employees"),
    ("company: A社\nemployees: .nan\n", "employees"),
    ("company: A社\nemployees: 1e300\n", "employees"),
    ("company: A社\nlist_goods: maybe\n", "list_goods"),
    ("company: A社\nforeign_staff: 3\n", "foreign_staff"),
    ("company: A社\nproducts: ボールねじ\n", "products"),
    ("company: A社\nexports_to: {中国: 1}\n", "exports_to"),
    ("company: A社\nbusiness_type: 農業\n", "business_type"),
])
def test_bad_profile_names_the_field(tmp_path, text, field):
    from anpo.drafting import load_profile
    from anpo.errors import BadInputError
    f = tmp_path / "p.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(BadInputError, match=f"'{field}'"):
        load_profile(f)


def test_deeply_nested_profile_is_bad_input_not_a_crash(tmp_path):
    from anpo.drafting import load_profile
    from anpo.errors import BadInputError
    f = tmp_path / "deep.yaml"
    f.write_text("company: " + "[" * 20000 + "]" * 20000 + "\n", encoding="utf-8")
    with pytest.raises(BadInputError, match="nested too deeply"):
        load_profile(f)


def test_malformed_yaml_is_bad_input(tmp_path):
    from anpo.drafting import load_profile
    from anpo.errors import BadInputError
    f = tmp_path / "p.yaml"
    f.write_text("company: [A社\n  employees: : 3\n", encoding="utf-8")
    with pytest.raises(BadInputError, match="YAML"):
        load_profile(f)


def _business_examples():
    from retrieval.textnorm import read_tsv
    for row in read_tsv(ROOT / "anpo" / "data" / "business_types.tsv"):
        examples = [e.strip() for e in row[2].split("|") if e.strip()]
        assert len(examples) >= 3, row[0]
        for e in examples:
            yield row[0], e


@pytest.mark.parametrize("kind,industry", list(_business_examples()))
def test_business_type_table_examples(kind, industry):
    from anpo.drafting.profile import business_type
    assert business_type(profile(industry=industry)) == kind


def test_business_type_given_wins_and_default_is_maker():
    from anpo.drafting.profile import business_type
    assert business_type(profile(industry="工作機械部品製造")) == "maker"
    assert business_type(profile(industry="工作機械部品製造", business_type="contract")) == "contract"


# ----------------------------------------------------------------- the CP

def _assert_checked(doc, assistant):
    from anpo.answering import MARKER
    from anpo.drafting import check_draft
    index = assistant.ensure_index()
    assert check_draft(doc, index.chunk) == []
    for c in doc.citations:
        assert index.chunk(c.chunk_id).text == c.text
    assert {int(m) for m in MARKER.findall(doc.body)} == {c.n for c in doc.citations}


def test_cp_follows_the_meti_model_chapters(drafter):
    from anpo.answering import MARKER
    from anpo.drafting import draft_cp
    doc = draft_cp(profile(), drafter)
    keys = [s.key for s in doc.sections]
    for k in CP_SECTIONS:
        assert k in keys, k
    chapters = list(dict.fromkeys(s.chapter.split("　", 1)[-1] for s in doc.sections if s.key != "supplementary"))
    assert chapters == list(CHAPTERS)
    assert [s.chapter.split("　")[0] for s in doc.sections if s.key != "supplementary"][0] == "第1章"
    articles = [s for s in doc.sections if s.key != "supplementary"]
    assert [s.heading.split("（")[0] for s in articles] == [f"第{i}条" for i in range(1, len(articles) + 1)]
    for s in articles:
        assert s.note is None or (s.note.startswith("（解説）") and MARKER.search(s.note)), s.heading
    assert not MARKER.search(doc.rule_text)
    assert [s.key for s in doc.appendices] == ["form_classification", "form_screening", "form_organization"]
    cited = {c.chunk_id for c in doc.citations}
    rows = [c for c in drafter.ensure_index().chunks if c.doc_id == "test-compliance-criteria"]
    assert {c.chunk_id for c in rows if dict(c.fields)["tier"] in ("I", "II")} <= cited
    _assert_checked(doc, drafter)


def test_check_draft_refuses_a_marker_inside_rule_text(drafter):
    from dataclasses import replace
    from anpo.drafting import check_draft, draft_cp
    doc = draft_cp(profile(), drafter)
    purpose = doc.section("purpose")
    bad = replace(doc, sections=(replace(purpose, paragraphs=(purpose.paragraphs[0] + "[1]",)),) + doc.sections[1:])
    assert any("rule text" in p for p in check_draft(bad, drafter.ensure_index().chunk))


def test_cp_representative_is_top_officer_who_appoints_the_manager(drafter):
    from anpo.drafting import draft_cp
    doc = draft_cp(profile(officer="製造本部長", employees=120), drafter)
    top, org = _text(doc.section("top")), _text(doc.section("organization"))
    assert "最高責任者は、代表者である代表取締役" in top and "統括責任者を任命" in top
    assert "製造本部長" in org and "製造本部長" not in top
    assert "Ⅱ①" in doc.section("top").note
    small = draft_cp(profile(officer="代表取締役社長", employees=8), drafter)
    assert "代表取締役社長" in _text(small.section("top")) and "兼ねる" in _text(small.section("organization"))


def test_cp_notes_map_articles_to_the_right_criteria(drafter):
    from anpo.drafting import draft_cp
    doc = draft_cp(profile(technology_transfer=True, foreign_staff=True), drafter)
    assert "Ⅰ②" not in (doc.section("policy").note or "")
    assert "Ⅱ③" not in doc.section("tech").note
    for key, label in (("classification", "Ⅱ③"), ("screening", "Ⅱ④"), ("shipping", "Ⅱ⑤"), ("audit", "Ⅱ⑥"),
                       ("training", "Ⅰ②"), ("records", "Ⅱ⑨"), ("violation", "Ⅱ⑩"), ("roles", "Ⅰ①")):
        assert label in doc.section(key).note, key


def test_cp_screening_names_concern_countries_and_red_flags(drafter):
    from anpo.drafting import draft_cp
    doc = draft_cp(profile(), drafter)
    assert "明らかガイドライン" in _text(doc.section("screening"))
    assert "北朝鮮" in _text(doc.section("definitions"))          # from the 別表第4 row, not a constant
    form = _text(doc.section("form_screening"))
    assert "懸念国（北朝鮮）" in form and "詳細不明" in form
    assert "許可条件" in _text(doc.section("licence_conditions"))
    assert "懲戒" in doc.section("discipline").heading


def test_cp_tailoring_follows_the_profile(drafter):
    from anpo.drafting import draft_cp
    small = draft_cp(profile(employees=10, list_goods="no", technology_transfer=False), drafter)
    big = draft_cp(profile(employees=300, list_goods="yes", technology_transfer=True, foreign_staff=True,
                           overseas_subsidiaries=["タイ"], has_cp=True), drafter)
    ks, kb = {s.key for s in small.sections}, {s.key for s in big.sections}
    assert not {"tech", "deemed", "subsidiaries"} & ks
    assert {"tech", "deemed", "subsidiaries"} <= kb
    assert "兼ねる" in _text(small.section("roles")) and "兼ねる" not in _text(big.section("roles"))
    assert "推奨" in small.section("audit").note and "推奨" not in big.section("audit").note
    assert "見直し" in big.title and "見直し" not in small.title
    assert any("Ⅱ⑧" in x and "[" in x for x in big.preface) and not any("Ⅱ⑧" in x for x in small.preface)
    contract = draft_cp(profile(industry="精密部品の受託加工"), drafter)
    assert "顧客の図面" in _text(contract.section("classification"))
    assert "顧客の図面" not in _text(small.section("classification"))
    tech = _text(big.section("tech"))
    assert all(w in tech for w in ("電子メール", "クラウド", "図面", "見学"))
    deemed = _text(big.section("deemed")) + big.section("deemed").note
    assert "特定類型" in deemed and "採用" in deemed and "[" in big.section("deemed").note
    assert "タイ" in _text(big.section("subsidiaries")) and "タイ" in _text(big.section("form_organization"))
    assert any("技術提供" in x for x in small.not_covered)
    for d in (small, big):
        _assert_checked(d, drafter)


def test_cp_without_criteria_table_still_cites_only_indexed_text(assistant):
    """The plain fixture pack has no criteria table: notes fall back to passages or say so."""
    from anpo.drafting import draft_cp
    doc = draft_cp(profile(technology_transfer=True, foreign_staff=True), assistant)
    assert doc.section("deemed") is not None
    _assert_checked(doc, assistant)


def test_brief_without_destination_table_still_resolves_and_cites_only_indexed_text(assistant):
    """The plain fixture pack has no destination or criteria table: no group is guessed,
    nothing crashes, every citation is an indexed passage."""
    from anpo.drafting import draft_brief
    doc = draft_brief(profile(exports_to=["中国", "ドイツ"], foreign_staff=True, has_cp=True), assistant)
    dest = _text(doc.section("destinations"))
    assert "グループ" not in dest and "ドイツ: 仕向地区分の表がナレッジベースにないため" in dest
    _assert_checked(doc, assistant)


def test_cp_takes_narrow_grounds(drafter):
    """The narrow form: chunks, a retrieve function and the tables, no assistant."""
    from anpo.drafting import Grounds, draft_cp
    from anpo.tables import tables_for
    index = drafter.ensure_index()
    g = Grounds(index.chunks, lambda q, k: [], tables_for(index))
    doc = draft_cp(profile(), g)
    assert doc.section("records") is not None and doc.citations
    _assert_checked(doc, drafter)
    from anpo.drafting import draft_brief
    brief = draft_brief(profile(exports_to=["大韓民国"]), Grounds(index.chunks, lambda q, k: []))
    assert "大韓民国: グループA" in _text(brief.section("destinations"))
    _assert_checked(brief, drafter)


# ----------------------------------------------------------------- the brief

def _brief(drafter, **kw):
    from anpo.drafting import draft_brief
    data = {"company": "株式会社B", "industry": "精密部品製造", "employees": 55, "list_goods": "unknown",
            "technology_transfer": True, "foreign_staff": True, "exports_to": ["大韓民国", "タイ", "中国"],
            "products": [{"name": "CFRP部品", "description": "炭素繊維の成型品"},
                         {"name": "制御基板", "description": "集積回路を搭載"}]}
    data.update(kw)
    return draft_brief(profile(**data), drafter)


def test_brief_sections_destinations_and_leads(drafter):
    doc = _brief(drafter)
    assert [s.key for s in doc.sections] == ["company", "destinations", "list_control", "risks", "case",
                                             "questions", "materials", "agenda"]
    dest = _text(doc.section("destinations"))
    assert "大韓民国: グループA" in dest and "タイ: グループC" in dest and "中国: グループC" in dest
    assert "不明" not in dest and "掲載がありません" not in dest
    lc = _text(doc.section("list_control"))
    assert "5項(18)" in lc and "7項(1)" in lc and "可能性" in lc and "ため" in lc
    _assert_checked(doc, drafter)


def test_brief_offers_no_lead_for_a_product_only_named_for_a_machine(drafter):
    doc = _brief(drafter, products=[{"name": "精密シャフト", "description": "工作機械向けの軸部品"}])
    lc = _text(doc.section("list_control"))
    assert "項" not in lc.split("\n")[0].split(":")[1].replace("項目名", "").replace("項番", "")


def test_brief_risks_follow_the_business_type(drafter):
    contract = _brief(drafter, industry="金属部品の受託加工（顧客図面）", exports_to=["中国"])
    trader = _brief(drafter, industry="工具の専門商社", technology_transfer=False, foreign_staff=False)
    spin = _brief(drafter, industry="大学発ベンチャー", employees=5)
    assert "部分品" in _text(contract.section("risks")) and "図面" in _text(contract.section("risks"))
    assert "再輸出" in _text(trader.section("risks"))
    assert "みなし輸出" in _text(spin.section("risks")) and "共同研究" in _text(spin.section("risks"))
    assert "部分品" not in _text(trader.section("risks"))
    for d in (contract, trader, spin):
        _assert_checked(d, drafter)


def test_brief_case_is_chosen_by_situation(drafter):
    no_cp = _brief(drafter)
    has_cp = _brief(drafter, has_cp=True)
    trader = _brief(drafter, industry="工作機械の商社", has_cp=False, employees=60)
    assert "Y社" in _text(no_cp.section("case"))           # maker, no CP, 50 people
    assert "Z社" in _text(has_cp.section("case"))          # had a CP and revised it
    assert "X社" in _text(trader.section("case"))          # a trading company
    assert "Z社" not in _text(no_cp.section("case"))


def test_brief_has_materials_agenda_and_fits_two_pages(drafter):
    doc = _brief(drafter, overseas_subsidiaries=["タイ"])
    materials = _text(doc.section("materials"))
    for w in ("カタログ", "仕様書", "取引先", "輸出実績", "組織図", "外国籍"):
        assert w in materials, w
    agenda = doc.section("agenda")
    assert "60分" in agenda.heading and agenda.paragraphs[0].startswith("0〜10分")
    body = "\n".join(p for s in doc.sections for p in (s.heading, *s.paragraphs))
    assert len(body) <= 2600, len(body)       # about two A4 pages at 10.5 pt; the sources are an appendix


# ----------------------------------------------------------------- CLI

def test_cli_draft_cp_and_brief_on_the_fixture_pack(cli_env, tmp_path):
    r = run(cli_env, "draft", "cp", "--profile", str(EXAMPLES / "parts-60.yaml"))
    assert r.returncode == 0, r.stderr
    assert "第1章" in r.stdout and "第1条（目的）" in r.stdout and "技術提供の管理" in r.stdout
    assert "みなし輸出" in r.stdout and "## 出典" in r.stdout and "[1]" in r.stdout
    out = tmp_path / "brief.docx"
    r = run(cli_env, "draft", "brief", "--profile", str(EXAMPLES / "parts-60.yaml"), "--format", "docx", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert out.stat().st_size > 0 and r.stdout == ""


@pytest.mark.parametrize("text,field", [("industry: 商社\n", "company"), ("company: A社\nemployees: 多数\n", "employees"),
                                        ("company: A社\nemployees: .inf\n", "employees"),
                                        ("company: [A社\n", "YAML"),
                                        ("company: " + "[" * 20000 + "]" * 20000 + "\n", "nested too deeply")])
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


# ----------------------------------------------------------------- the drafting evaluation

def test_drafts_scorer_elements_wordings_and_regexes():
    from evals.drafts_scorer import present, score_text
    text = "## 第1条（目的）\n当社は…\n中国: グループＣ[1]\n- **第4条（基本方針）** Ⅱ①"
    assert present(["中国: グループC", "中国（グループC"], text)          # NFKC: Ｃ = C
    assert not present(["タイ: グループC"], text)
    assert present(["re:(?m)^中国: グループＣ\\[\\d+\\]$"], text)          # a regex runs on the raw text
    r = score_text(text, {"must": [["第1条"], ["懲戒"]], "must_not": [["re:基本方針）\\*\\* Ⅰ②"], ["第1条"]]})
    assert r["found"] == 1 and r["missing"] == ["懲戒"] and r["forbidden"] == ["第1条"]


def test_every_draft_profile_has_expectations_for_both_documents():
    from evals.drafts_scorer import load_cases
    cases = load_cases()
    assert len(cases) >= 6
    sizes = sorted(load_profile_of(c).employees for c in cases)
    assert sizes[0] <= 5 and sizes[-1] >= 300
    for c in cases:
        for kind in ("cp", "brief"):
            assert c.expect[kind]["must"] and "must_not" in c.expect[kind], (c.name, kind)


def load_profile_of(case):
    from anpo.drafting import load_profile
    return load_profile(case.profile)


def test_cli_eval_drafts_json_runs_every_profile(cli_env):
    import json
    r = run(cli_env, "eval", "--drafts", "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["drafts"] == 2 * len(list((ROOT / "evals" / "drafts").glob("*.expect.yaml")))
    assert {"required", "found", "forbidden", "passed", "results"} <= set(report)


def test_missing_profile_says_it_cannot_be_read_not_that_it_is_not_utf8(tmp_path):
    from anpo.drafting import load_profile
    from anpo.errors import BadInputError
    with pytest.raises(BadInputError, match="No such file") as e:
        load_profile(tmp_path / "none.yaml")
    assert "UTF-8" not in str(e.value)
    f = tmp_path / "sjis.yaml"
    f.write_bytes("company: 株式会社テスト\n".encode("cp932"))
    with pytest.raises(BadInputError, match="not UTF-8"):
        load_profile(f)

"""The CLI through its console script, as outside checks drive it."""

import json
import subprocess

import pytest

from conftest import anpo_bin
from contract import contract_problems
from test_loaders_chunking import MINIMAL_PDF

Q = "展示会のために製品を海外へ一時的に持ち出すのも輸出ですか？"


def run(env, *args, input=None):
    return subprocess.run([anpo_bin(), *args], env=env, capture_output=True, text=True, input=input, timeout=300)


def test_ask_json_follows_the_contract(cli_env):
    r = run(cli_env, "ask", "--json", Q)
    assert r.returncode == 0, r.stderr
    obj = json.loads(r.stdout)
    assert contract_problems(obj) == []
    assert obj["grounded"] is True and obj["question"] == Q
    assert obj["citations"][0]["locator"].startswith("スライド3")
    assert obj["citations"][0]["effective_date"] == "2026-02-14"


def test_ask_plain_shows_sources(cli_env):
    r = run(cli_env, "ask", Q)
    assert r.returncode == 0
    assert "出典:" in r.stdout and "[1]" in r.stdout


def test_batch_jsonl_keeps_order_and_skips_comments(cli_env, tmp_path):
    f = tmp_path / "qs.txt"
    f.write_text("# セミナー質問\n炭素繊維は何項？\n\n今日の天気は？\n" + Q + "\n", encoding="utf-8")
    r = run(cli_env, "batch", str(f))
    assert r.returncode == 0, r.stderr
    objs = [json.loads(l) for l in r.stdout.splitlines()]
    assert [o["question"] for o in objs] == ["炭素繊維は何項？", "今日の天気は？", Q]
    assert [o["grounded"] for o in objs] == [True, False, True]
    assert all(contract_problems(o) == [] for o in objs)


@pytest.mark.parametrize("fmt,needle", [("md", "## 目次"), ("csv", "question,answer")])
def test_batch_md_and_csv(cli_env, tmp_path, fmt, needle):
    f = tmp_path / "qs.txt"
    f.write_text("炭素繊維は何項？\n" + Q + "\n", encoding="utf-8")
    out = tmp_path / f"out.{fmt}"
    r = run(cli_env, "batch", str(f), "--format", fmt, "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert needle in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [("ask", ""), ("ask", "   "), ("ask", Q, "--bogus"), ("frobnicate",),
                                  ("batch", "/nonexistent/questions.txt"), ("ask", Q, "--backend", "nope")])
def test_bad_input_exits_2_with_one_sentence(cli_env, args):
    r = run(cli_env, *args)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert r.stdout == ""
    lines = [l for l in r.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and "Traceback" not in r.stderr


def _snapshot(home):
    idx = home / "index"
    gen = idx / (idx / "CURRENT").read_text()
    return (idx / "CURRENT").read_text(), (gen / "chunks.jsonl").read_bytes(), (gen / "manifest.json").read_bytes()


def test_ingest_of_corrupt_pdf_leaves_index_unchanged(cli_env, tmp_path):
    assert run(cli_env, "index").returncode == 0
    home = tmp_path / "home"
    before = _snapshot(home)
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\n garbage that is not a pdf")
    good = tmp_path / "ok.md"
    good.write_text("# 社内規程\n## 第1条\n輸出管理の統括責任者は代表取締役とする。\n", encoding="utf-8")
    r = run(cli_env, "ingest", str(good), str(bad))
    assert r.returncode == 2
    assert str(bad) in r.stderr and len(r.stderr.strip().splitlines()) == 1   # the user's path, not staging/
    assert "staging" not in r.stderr
    assert _snapshot(home) == before
    assert not (home / "uploads").exists() or not any((home / "uploads").iterdir())


def test_ingest_adds_documents_and_sources_lists_them(cli_env, tmp_path):
    pdf = tmp_path / "guide.pdf"
    pdf.write_bytes(MINIMAL_PDF)
    md = tmp_path / "社内規程.md"
    md.write_text("# 社内規程\n## 第1条 統括責任者\n輸出管理の統括責任者は代表取締役とする。\n", encoding="utf-8")
    r = run(cli_env, "ingest", str(pdf), str(md))
    assert r.returncode == 0, r.stderr
    r = run(cli_env, "sources")
    assert r.returncode == 0
    assert "社内規程" in r.stdout and "test-basics" in r.stdout
    r = run(cli_env, "ask", "--json", "統括責任者は誰にする？")
    obj = json.loads(r.stdout)
    assert obj["grounded"] and obj["citations"][0]["doc_id"].startswith("upload-")


def test_index_rebuild_and_help(cli_env):
    r = run(cli_env, "index", "--rebuild")
    assert r.returncode == 0 and "チャンク" in r.stdout
    r = run(cli_env, "--help")
    assert r.returncode == 0 and "ask" in r.stdout


def test_batch_of_missing_file_says_it_cannot_be_read(cli_env, tmp_path):
    r = run(cli_env, "batch", str(tmp_path / "none.txt"))
    assert r.returncode == 2
    assert "No such file" in r.stderr and "UTF-8" not in r.stderr


def test_missing_knowledge_pack_is_one_sentence_not_an_empty_index(cli_env, tmp_path):
    env = dict(cli_env, ANPO_KNOWLEDGE_DIR=str(tmp_path / "no-pack"), ANPO_HOME=str(tmp_path / "home2"))
    r = run(env, "ask", "--json", Q)
    assert r.returncode == 1 and r.stdout == ""
    assert "no-pack" in r.stderr and "ANPO_KNOWLEDGE_DIR" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("cmd", [["batch", "{qs}"], ["batch", "{qs}", "--format", "docx"],
                                 ["draft", "cp", "--profile", "{profile}"]])
def test_output_into_a_missing_folder_is_bad_input_before_any_work(cli_env, tmp_path, cmd):
    from conftest import ROOT
    qs = tmp_path / "qs.txt"
    qs.write_text(Q + "\n", encoding="utf-8")
    args = [a.format(qs=qs, profile=ROOT / "examples" / "parts-60.yaml") for a in cmd]
    r = run(cli_env, *args, "-o", str(tmp_path / "no-such-dir" / "out.x"))
    assert r.returncode == 2 and "no-such-dir" in r.stderr and "unexpected" not in r.stderr
    assert not (tmp_path / "home" / "index").exists()          # refused before building anything

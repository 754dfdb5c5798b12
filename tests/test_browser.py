"""End to end in a real browser: one `streamlit run app.py` on a free port (the shipped
knowledge pack plus one hostile document), driven by Playwright with Debian's chromium
(never a downloaded browser), several pages and contexts.  Each test asserts what the user
sees.  A beacon HTTP server on 127.0.0.1 counts requests: a Markdown image in a title,
issuer, passage or question must never be fetched.  Skips when /usr/bin/chromium is missing
(`apt-get install -y chromium fonts-noto-cjk`)."""

from __future__ import annotations

import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, anpo_bin

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-quic", "--no-first-run"]
Q = "展示会のために製品を海外へ一時的に持ち出すのも輸出ですか？"
T = 60_000

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="/usr/bin/chromium is missing; install it with `apt-get install -y chromium fonts-noto-cjk`"),
]

HOSTILE_DOC = """---
id: test-beacon
title: "ビーコン試験資料 ![t]({b}/title.png) <img src='{b}/img.png'>"
issuer: "![i]({b}/issuer.png)"
url: "javascript:alert(1)"
kind: guidance
---

## 蛍光観測ユニットの扱い ![s]({b}/section.png)
蛍光観測ユニットを海外の展示会へ持ち出す場合も、貨物の輸出として扱います。蛍光観測ユニットの該非判定は出荷前に行います。 ![p]({b}/passage.png)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Beacon(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):   # noqa: N802 - the http.server API
        Beacon.hits.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def beacon():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Beacon)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError("streamlit did not become healthy")


@pytest.fixture(scope="module")
def server(tmp_path_factory, beacon):
    tmp = tmp_path_factory.mktemp("browser")
    knowledge = tmp / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    (knowledge / "docs" / "zz-beacon.md").write_text(HOSTILE_DOC.format(b=beacon), encoding="utf-8")
    env = dict(os.environ, ANPO_HOME=str(tmp / "home"), ANPO_KNOWLEDGE_DIR=str(knowledge),
               ANPO_EMBEDDER="hash", ANPO_BACKEND="extractive")
    for k in ("ANPO_HISTORY_DB", "ANPO_SHARED_HISTORY", "ANPO_DENSE_WEIGHT"):
        env.pop(k, None)
    subprocess.run([anpo_bin(), "index"], env=env, cwd=ROOT, check=True,
                   capture_output=True, timeout=300)
    port = free_port()
    log = open(tmp / "streamlit.log", "wb")
    # plain `streamlit run app.py` from the repo: .streamlit/config.toml decides address and watcher
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
    text = (tmp / "streamlit.log").read_text(errors="replace")
    assert "Inotify" not in text and "External URL" not in text, text[-2000:]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def new_page(browser, server):
    contexts = []

    def make(**kw):
        ctx = browser.new_context(locale=kw.pop("locale", "ja-JP"),
                                  viewport=kw.pop("viewport", {"width": 1280, "height": 900}), **kw)
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(T)
        page.goto(server)
        page.get_by_test_id("stChatInputTextArea").wait_for()
        return page
    yield make
    for c in contexts:
        c.close()


def ask(page, question: str, n_answers: int | None = None):
    """Type a question, wait until its answer is complete (the copy button shows)."""
    before = page.get_by_role("button", name="コピー").count() if n_answers is None else n_answers - 1
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    box.press("Enter")
    page.get_by_role("button", name="コピー").nth(before).wait_for()
    return page.get_by_test_id("stChatMessage").last


def user_messages(page) -> list[str]:
    return [m.get_by_test_id("stChatMessageContent").inner_text().strip()
            for m in page.get_by_test_id("stChatMessage").all() if m.get_by_test_id("stChatMessageAvatarUser").count()]


def goto(page, label: str):
    page.get_by_test_id("stSidebar").get_by_test_id("stRadio").locator("label").filter(
        has_text=re.compile(re.escape(label) + r"$")).click()
    page.get_by_role("heading", level=1).first.wait_for()


def test_citation_link_opens_its_passage_and_page_is_japanese(new_page):
    from playwright.sync_api import expect
    page = new_page()
    assert page.evaluate("document.documentElement.lang") == "ja"
    answer = ask(page, Q)
    expect(answer.get_by_text("出典に基づく回答")).to_be_visible()
    link = answer.locator("a.anpo-cite").first
    target = link.get_attribute("href")
    passage = page.locator(target)
    expect(passage).to_be_hidden()                       # the citation starts closed
    link.click()
    expect(passage).to_be_visible()                      # the click opened it
    assert passage.locator("mark.anpo-hl").count() >= 1
    expect(passage.get_by_role("link", name="出典を開く")).to_be_visible()
    expect(page.get_by_text("回答エンジン: 抽出型").first).to_be_visible()


def test_copy_and_regenerate(new_page):
    from playwright.sync_api import expect
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    answer = ask(page, "みなし輸出とは何ですか？")
    first_text = answer.locator(".anpo-answer").inner_text()
    answer.get_by_role("button", name="コピー").click()
    code = page.get_by_test_id("stCode").last
    code.hover()
    code.get_by_role("button").first.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert first_text.split("[")[0].strip()[:20] in copied and "出典:" in copied
    page.keyboard.press("Escape")
    page.get_by_role("button", name="再生成").click()
    expect(page.get_by_text("（再生成した回答）")).to_be_visible()
    assert len(user_messages(page)) == 1                 # replaced, not appended
    expect(page.locator(".anpo-answer").last).to_be_visible()


def test_starter_questions_then_reload_keeps_the_conversation(new_page):
    from playwright.sync_api import expect
    page = new_page()
    for group in ("中小企業の経営者", "アドバイザー", "セミナー参加者", "外国人スタッフ"):
        expect(page.get_by_text(group, exact=True)).to_be_visible()
    page.get_by_role("button", name="みなし輸出ってなに？").click()
    page.get_by_role("button", name="コピー").first.wait_for()
    expect(page.get_by_role("button", name="輸出管理、まず何から手をつければいいの？")).to_have_count(0)
    assert "?s=" in page.url and "&c=" in page.url
    page.reload()
    page.get_by_test_id("stChatInputTextArea").wait_for()
    page.get_by_role("button", name="コピー").first.wait_for()
    assert user_messages(page) == ["みなし輸出ってなに？"]
    expect(page.locator(".anpo-answer").first).to_be_visible()


def test_two_browsers_do_not_see_each_others_history(new_page):
    from playwright.sync_api import expect
    alice, bob = new_page(), new_page()
    ask(alice, "輸出管理の責任者は誰にすればいいですか？")
    goto(bob, "履歴")
    expect(bob.get_by_text("履歴はまだありません。")).to_be_visible()
    expect(bob.get_by_text("輸出管理の責任者は誰にすればいいですか？")).to_have_count(0)
    goto(alice, "履歴")
    expect(alice.get_by_text("輸出管理の責任者は誰にすればいいですか？").first).to_be_visible()
    with alice.expect_download() as dl:
        alice.get_by_role("button", name="CSVで書き出す").click()
    data = Path(dl.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "輸出管理の責任者" in data.decode("utf-8-sig")


def test_japanese_ui_shows_no_english_error_text(new_page):
    from playwright.sync_api import expect
    page = new_page()
    goto(page, "ナレッジ管理")
    dropzone = page.get_by_test_id("stFileUploaderDropzone")
    expect(dropzone.get_by_role("button", name="ファイルを選ぶ")).to_be_visible()     # Streamlit's own texts
    expect(dropzone.get_by_text("per file")).to_be_hidden()                          # replaced or hidden
    expect(dropzone.get_by_text("Upload", exact=True)).to_be_hidden()
    expect(page.get_by_text("1ファイル 50 MB まで", exact=False)).to_be_visible()
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": "broken.pdf", "mimeType": "application/pdf", "buffer": b"this is not a pdf"}])
    page.get_by_test_id("stFileUploader").get_by_text("broken.pdf").first.wait_for()
    page.get_by_role("button", name="取り込む").click()
    error = page.get_by_test_id("stAlertContainer").filter(has_text="broken.pdf").first
    error.wait_for()
    shown = error.inner_text().replace("broken.pdf", "")
    words = set(re.findall(r"[A-Za-z][A-Za-z_]*", shown)) - {"PDF", "MB"}
    assert "読み取れません" in shown and not words, shown
    expect(page.get_by_test_id("stException")).to_have_count(0)
    goto(page, "取引審査チェック")                           # its CSV opens in Japanese Excel: a BOM
    page.get_by_label("品目（製品・技術）").fill("炭素繊維のプリプレグ")
    page.get_by_label("仕向地（国・地域）").fill("タイ")
    page.get_by_role("button", name="チェックする").click()
    with page.expect_download() as dl:
        page.get_by_role("button", name="記録をダウンロード（CSV）").click()
    data = Path(dl.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "炭素繊維" in data.decode("utf-8-sig")


def test_phone_viewport(new_page):
    from playwright.sync_api import expect
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    answer = ask(page, Q)
    expect(answer.locator(".anpo-answer")).to_be_visible()
    expect(page.get_by_test_id("stChatInputTextArea")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 392, width                            # nothing forces sideways scrolling
    box = answer.locator(".anpo-answer").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 392


def test_markdown_images_in_titles_and_questions_are_never_fetched(new_page, beacon):
    from playwright.sync_api import expect
    Beacon.hits.clear()
    page = new_page()
    answer = ask(page, f"蛍光観測ユニットを展示会へ持ち出すのは輸出ですか？ ![q]({beacon}/question.png)")
    summary = answer.locator("details.anpo-cit summary").filter(has_text="ビーコン試験資料").first
    expect(summary).to_contain_text("![t](")               # the title shown as text
    summary.click()
    expect(answer.get_by_role("link", name="出典を開く")).to_have_count(0)   # javascript: is no link
    goto(page, "履歴")
    page.get_by_test_id("stExpander").first.click()
    goto(page, "ナレッジ管理")
    page.wait_for_timeout(1500)
    assert page.locator("img[src*='127.0.0.1']").count() == 0
    assert Beacon.hits == []


def test_follow_up_is_answered_in_context(new_page):
    page = new_page()
    ask(page, "展示会にサンプルを持っていくのも輸出になりますか？")
    second = ask(page, "じゃあ中国の展示会なら許可がいる？")
    text = second.locator(".anpo-answer").inner_text()
    assert "中国" in text and re.search(r"該非判定|キャッチオール", text)
    assert re.search(r"（[^）]*として回答）", second.inner_text())


def test_english_question_is_answered_in_english(new_page):
    page = new_page(locale="en-US")
    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    page.get_by_role("heading", name="Export control assistant").wait_for()
    menu = page.get_by_test_id("stSidebar").get_by_test_id("stRadio")
    assert menu.get_by_role("radio", name="Ask").is_checked()    # the menu still shows where you are
    assert page.evaluate("document.documentElement.lang") == "en"
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill("Is sending drawings to our Thai subsidiary by email an export?")
    box.press("Enter")
    page.get_by_role("button", name="Copy").first.wait_for()
    text = page.locator(".anpo-answer").last.inner_text()
    kana = len(re.findall(r"[\u3040-\u30ff\u4e00-\u9fff]", text))
    assert kana < len(text) * 0.2 and re.search(r"\b(export|technology|licen[cs]e)", text, re.I), text
    assert re.search(r"\[\d+\]", text)                   # still cited

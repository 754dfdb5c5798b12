"""End to end in a real browser: `streamlit run app.py` on a free port, driven by
Playwright with Debian's chromium (never a downloaded browser).  Asks a question, waits
for the cited answer, opens the first citation and saves a screenshot in the test's tmp
dir.  Skips when /usr/bin/chromium is missing (`apt-get install -y chromium fonts-noto-cjk`)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-quic", "--no-first-run"]
Q = "展示会のために製品を海外へ一時的に持ち出すのも輸出ですか？"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="/usr/bin/chromium is missing; install it with `apt-get install -y chromium fonts-noto-cjk`"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


@pytest.fixture
def server(tmp_path, knowledge):
    port = free_port()
    env = dict(os.environ, ANPO_HOME=str(tmp_path / "home"), ANPO_KNOWLEDGE_DIR=str(knowledge),
               ANPO_EMBEDDER="hash", STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    env.pop("ANPO_HISTORY_DB", None)
    log = open(tmp_path / "streamlit.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--server.fileWatcherType", "none"],     # nothing to reload; the watcher only adds noise
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


def test_ask_open_citation_and_screenshot(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 1000}, locale="ja-JP")
            page.set_default_timeout(60_000)
            page.goto(server)
            box = page.get_by_test_id("stChatInputTextArea")
            box.wait_for()
            box.fill(Q)
            box.press("Enter")
            citation = page.get_by_test_id("stExpander").filter(has_text="[1]").first
            citation.wait_for()
            expect(page.get_by_text("貨物の輸出に当たります").first).to_be_visible()
            citation.locator("summary").click()
            mark = citation.locator("mark.anpo-hl").first
            expect(mark).to_be_visible()
            assert "展示会に出品する" in mark.inner_text()
            expect(citation.get_by_role("link", name="出典を開く")).to_be_visible()
            expect(page.get_by_test_id("stException")).to_have_count(0)
            page.wait_for_timeout(500)        # let the expander finish opening before the picture
            shot = tmp_path / "chat-citation.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
        finally:
            browser.close()

"""Shared fixtures: a small knowledge pack written for the tests (tests/fixtures), a
fresh data dir per test, and the fast hash embedder unless a test needs the real model."""

from __future__ import annotations

import os
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2026, 11, 23)


@pytest.fixture
def knowledge(tmp_path) -> Path:
    dst = tmp_path / "knowledge"
    shutil.copytree(FIXTURES / "knowledge", dst)
    return dst


@pytest.fixture
def settings(tmp_path, knowledge):
    from anpo.settings import Settings
    return Settings.from_env().with_(home=tmp_path / "home", knowledge_dir=knowledge, embedder="hash")


@pytest.fixture
def assistant(settings):
    from anpo.service import Assistant
    a = Assistant(settings, today=TODAY)
    a.ensure_index()
    return a


@pytest.fixture
def cli_env(tmp_path, knowledge):
    env = dict(os.environ)
    env.update(ANPO_HOME=str(tmp_path / "home"), ANPO_KNOWLEDGE_DIR=str(knowledge), ANPO_EMBEDDER="hash")
    return env


def anpo_bin() -> str:
    exe = Path(sys.executable).parent / "anpo"
    return str(exe)


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    """An assistant over the real shipped pack (BM25 only), built once per test module."""
    from anpo.service import Assistant
    from anpo.settings import Settings
    s = Settings.from_env().with_(home=tmp_path_factory.mktemp("home"), knowledge_dir=ROOT / "knowledge", embedder="hash")
    a = Assistant(s, today=TODAY)
    a.ensure_index()
    return a


@pytest.fixture(scope="module")
def tables(pack):
    """The slot tables of the shared test pack (products, countries, parties) for anpo.conversation."""
    from anpo.slot_tables import tables_for
    return tables_for(pack.retriever().index)

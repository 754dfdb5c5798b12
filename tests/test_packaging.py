"""A non-editable install (`pip install .`) carries every data file the code reads at run time:
the knowledge pack (Settings' REPO_ROOT/"knowledge"), the data tables, the eval sets, app.py."""

import tomllib
from pathlib import Path

import pytest

from conftest import ROOT

CONF = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def _shipped(package: str) -> set[Path]:
    base = ROOT / package.replace(".", "/")
    return {p for pat in CONF["package-data"].get(package, []) for p in base.glob(pat) if p.is_file()}


def _files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
            and p.suffix != ".py" and not p.name.startswith(".")}


@pytest.mark.parametrize("package, folder", [
    ("knowledge", "knowledge"), ("anpo", "anpo/data"), ("retrieval", "retrieval/data"),
])
def test_every_data_file_is_package_data(package, folder):
    assert any(package.startswith(i.rstrip("*")) for i in CONF["packages"]["find"]["include"])
    missing = _files(ROOT / folder) - _shipped(package)
    assert not missing, sorted(str(p.relative_to(ROOT)) for p in missing)


def test_app_module_is_installed_for_anpo_serve():
    assert "app" in CONF.get("py-modules", [])

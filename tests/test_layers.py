"""The code's shape is part of the product: layers that only import downward, small modules, thin pages.

The contracts live in pyproject.toml ([tool.importlinter]); here they are checked on every test run, and shown
to catch an upward import, so a broken layer fails CI and not only `make lint`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")
MAX_MODULE_LINES = 400
MAX_PAGE_LINES = 120


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )


def test_the_import_contracts_are_kept():
    done = _lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 kept, 0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("explain/analyses/importance.py", "import explain.words.numbers", "Engine layers"),
        ("explain/bundle/card.py", "import explain.methods.registry", "Engine layers"),
        ("explain/words/numbers.py", "import streamlit", "never imports Streamlit"),
        ("views/overview.py", "import explain.methods.reasons", "Pages render reports"),
    ],
)
def test_an_upward_import_breaks_a_contract(tmp_path, module, line, broken):
    for part in ("explain", "ui", "views"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__", "fonts"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / module
    target.write_text(line + "\n" + target.read_text(encoding="utf-8"), encoding="utf-8")
    done = _lint(tmp_path)
    assert done.returncode != 0
    assert "1 broken" in done.stdout and broken in done.stdout.replace("\n", " ")


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_engine_and_ui_modules_stay_small():
    too_long = {
        str(p.relative_to(ROOT)): _lines(p)
        for folder in ("explain", "ui")
        for p in (ROOT / folder).rglob("*.py")
        if _lines(p) > MAX_MODULE_LINES
    }
    assert too_long == {}


def test_pages_only_read_state_and_render():
    too_long = {p.name: _lines(p) for p in (ROOT / "views").glob("*.py") if _lines(p) > MAX_PAGE_LINES}
    assert too_long == {}

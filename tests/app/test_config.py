"""The server's hardening lives in .streamlit/config.toml; a change that loosens it must fail a test."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


def test_server_hardening():
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    server, client = config["server"], config["client"]
    assert server["enableCORS"] is True
    assert server["enableXsrfProtection"] is True
    assert server["maxUploadSize"] <= 50  # MB; the upload page also checks its own cap
    assert client["showErrorDetails"] in (False, "none")


def test_the_served_app_watches_no_files_and_make_run_imports_the_engine_first():
    """README: `make run` serves with no file watcher, through ui.serve; `make dev` turns the watcher on."""
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert config["server"]["fileWatcherType"] == "none" and config["server"]["runOnSave"] is False
    makefile = (CONFIG.parents[1] / "Makefile").read_text(encoding="utf-8")
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    dev = makefile.split("\ndev:", 1)[1].split("\n\n", 1)[0]
    assert "-m ui.serve" in run and "fileWatcherType" not in run
    assert "--server.fileWatcherType auto" in dev

    # In a fresh interpreter, with Streamlit's own entry point replaced by one that reports what it was given.
    probe = (
        "import sys; from streamlit.web import cli; from ui import serve\n"
        "before = [m for m in serve.PRELOAD if m in sys.modules and not m.startswith('streamlit')]\n"
        "cli.main = lambda prog_name: print(sys.argv, before, all(m in sys.modules for m in serve.PRELOAD)) or 0\n"
        "sys.exit(serve.main(['--server.port', '8599']))"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=CONFIG.parents[1], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "No runtime found" not in result.stderr  # Streamlit caches are made by the server, not before it
    app = str(CONFIG.parents[1] / "streamlit_app.py")
    assert result.stdout.strip() == f"{['streamlit', 'run', app, '--server.port', '8599']} [] True"


def test_many_readers_settings():
    """README (Many readers at once): no full collection after every run; `make run` freezes what it loaded before
    the first reader and keeps two malloc arenas."""
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert config["runner"]["postScriptGC"] is False
    probe = (
        "import ctypes, gc, sys; from streamlit.web import cli; from ui import serve\n"
        "calls = []\n"
        "class Libc:\n"
        "    def mallopt(self, param, value): calls.append((param, value)); return 1\n"
        "ctypes.CDLL = lambda name: Libc()\n"
        "cli.main = lambda prog_name: print(calls, gc.get_freeze_count() > 10_000) or 0\n"
        "sys.exit(serve.main(['--server.port', '8599']))"
    )
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=CONFIG.parents[1], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[(-8, 2)] True"
    # An operator's own MALLOC_ARENA_MAX is left as they set it.
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=CONFIG.parents[1], capture_output=True, text=True,
        env={**env, "MALLOC_ARENA_MAX": "4"},
    )  # fmt: skip
    assert result.stdout.strip() == "[] True", result.stderr

"""The server's hardening lives in .streamlit/config.toml; a change that loosens it must fail a test."""

from __future__ import annotations

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

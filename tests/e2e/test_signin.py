"""Sign-in for real: a local OpenID Connect provider (oidc-provider-mock) on loopback, a real server with an
``[auth]`` secret and an access file, and Chromium going through the provider's own form."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_browser import (  # noqa: F401 - fixtures
    BROWSER_ARGS,
    WAIT_MS,
    _free_port,
    _serve,
    _settled,
    browser,
    chromium,
    models_dir,
    page,
)

pytestmark = pytest.mark.e2e
SPEND_TITLE = "Customer yearly spend"


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """oidc-provider-mock on a free loopback port: any client id, a form that asks who signs in."""
    port = _free_port()
    log = tmp_path_factory.mktemp("oidc") / "provider.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "oidc_provider_mock", "--port", str(port), "--host", "127.0.0.1"],
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while not _answers(f"{base}/.well-known/openid-configuration"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the OpenID Connect provider did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def signed_server(models_dir: Path, provider: str, tmp_path_factory: pytest.TempPathFactory):  # noqa: F811
    folder = tmp_path_factory.mktemp("signin")
    port = _free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
        'cookie_secret = "a-long-random-string-for-the-test-only"\n'
        'client_id = "plainsight"\n'
        'client_secret = "not-a-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    access = folder / "access.yaml"
    access.write_text("models:\n  churn-demo: ['@acme.com']\n  spend-demo: [bob@acme.com]\n", encoding="utf-8")
    trail = folder / "audit.jsonl"
    env = {"PLAINSIGHT_ACCESS_FILE": str(access), "PLAINSIGHT_AUDIT_FILE": str(trail)}
    with _serve(models_dir, folder, port=port, args=("--secrets.files", str(secrets)), env=env) as base:
        yield base.replace("127.0.0.1", "localhost"), access, trail  # the redirect address the secret names


def _sign_in(page: Page, base: str, email: str) -> None:  # noqa: F811
    page.goto(f"{base}/")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_test_id("stSidebar")).to_have_count(0)  # nothing before sign-in, not even the models
    page.get_by_role("button", name="Sign in").click()
    page.locator("#subject-input").fill(email)  # the provider's own form: who signs in
    page.get_by_role("button", name="Authorize", exact=True).click()
    expect(page.get_by_text(f"Signed in as {email}.")).to_be_visible(timeout=WAIT_MS)
    _settled(page)


def test_sign_in_see_only_allowed_models_a_refused_link_and_sign_out(signed_server, page: Page):  # noqa: F811
    base, access, trail = signed_server
    _sign_in(page, base, "alice@acme.com")
    expect(page.get_by_role("heading", name="Customer churn risk")).to_be_visible()
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stSelectbox").filter(has_text="Model").click()
    options = [o.strip() for o in page.get_by_role("option").all_inner_texts()]
    assert options == ["churn-demo"]  # not churn-demo-linear (the default is nobody), not spend-demo
    page.keyboard.press("Escape")

    page.goto(f"{base}/?model=spend-demo")  # a link to a model the file does not give alice
    expect(page.get_by_text("You may not open a model called 'spend-demo'.", exact=False)).to_be_visible()
    expect(page.get_by_text(SPEND_TITLE)).to_have_count(0)

    # A change to the access file applies to the next page, without a restart.
    access.write_text("models:\n  churn-demo: ['@acme.com']\n  spend-demo: ['@acme.com']\n", encoding="utf-8")
    page.goto(f"{base}/?model=spend-demo")
    expect(page.get_by_role("heading", level=1)).to_have_text(SPEND_TITLE, timeout=WAIT_MS)
    expect(page.get_by_text("You may not open", exact=False)).to_have_count(0)
    _settled(page)

    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="End session").click()  # the provider asks to confirm, then sends back
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_test_id("stSidebar")).to_have_count(0)

    lines = [json.loads(line) for line in trail.read_text(encoding="utf-8").splitlines()]
    opened = [(line["user"], line["model"]) for line in lines if line["event"] == "open"]
    assert ("alice@acme.com", "churn-demo") in opened and ("alice@acme.com", "spend-demo") in opened
    assert all(line["user"] == "alice@acme.com" for line in lines)  # nothing was recorded before sign-in


def test_a_reader_the_file_gives_nothing_is_told_so(signed_server, page: Page):  # noqa: F811
    base, _, _ = signed_server
    _sign_in(page, base, "mallory@elsewhere.com")
    expect(page.get_by_text(re.compile("You may not open any model here"))).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox")).to_have_count(0)

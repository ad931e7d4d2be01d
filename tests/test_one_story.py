"""One story, every outlet: what a reader sees on a page, in a PDF, in a PowerPoint deck and from
`plainsight report --format json` is the same, figure for figure and sentence for sentence.

For 20 customers of each demo bundle and of a card-less model: the chance (or expected amount), the value at risk,
the main reasons and what would change it. For the overview and the impact: their figures and sentences, with
assumptions other than the defaults set on the impact page.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs

import numpy as np
import pandas as pd
import pytest
from pptx import Presentation
from pypdf import PdfReader
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from streamlit.testing.v1 import AppTest

from explain.bundle import load_bundle
from explain.cli import main
from explain.export.files import export_bytes
from explain.export.layout import customer_slides, overview_slide
from explain.reports import Settings, overview_report
from tests.conftest import write_bundle

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
CUSTOMERS = 20
needs_browser = pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Chromium: apt-get install chromium")


def _flat(text: str) -> str:
    """Text with every run of white space as one space, and markup escapes removed."""
    return re.sub(r"\s+", " ", text.replace("\\", "")).strip()


def fake_render(figure, width, height, scale=1.0):
    """A real PNG of the asked size, so the layout runs without a browser (the words are what is compared)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (int(width * scale), int(height * scale)), (200, 220, 240)).save(out, format="PNG")
    return out.getvalue()


def _pdf_pages(data: bytes) -> list[str]:
    return [_flat(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


def _pptx_text(data: bytes) -> str:
    deck = Presentation(io.BytesIO(data))
    parts = [shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame]
    return _flat(" ".join(parts))


@pytest.fixture(scope="module")
def models(demo_dir, tmp_path_factory) -> str:
    """The three demo bundles and a card-less model with the column names real exports have."""
    folder = tmp_path_factory.mktemp("cardless")
    rng = np.random.default_rng(5)
    frame = pd.DataFrame(
        {
            "acct_age_m": rng.integers(1, 100, 400).astype(float),
            "PlanTier": rng.choice(["Gold", "Silver", "Bronze"], 400),
            "num_tickets": rng.poisson(2, 400).astype(float),
        }
    )
    y = (frame["num_tickets"] - 0.02 * frame["acct_age_m"] + rng.normal(0, 1, 400) > 1.5).astype(int)
    prep = ColumnTransformer(
        [("n", StandardScaler(), ["acct_age_m", "num_tickets"]), ("c", OneHotEncoder(), ["PlanTier"])]
    )
    write_bundle(folder / "acct_churn_v2", Pipeline([("p", prep), ("m", LogisticRegression())]).fit(frame, y), frame)
    return f"{demo_dir}:{folder}"


def _folder(models: str, name: str) -> Path:
    return next(Path(root) / name for root in models.split(":") if (Path(root) / name).is_dir())


def _report_json(capsys, *args: str) -> dict:
    assert main(["report", *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def _page_text(at: AppTest) -> list[str]:
    """Every paragraph the page shows, unescaped; large ones without their heading marks."""
    return [_flat(m.value).removeprefix("#### ") for m in at.markdown]


@pytest.mark.parametrize("name", ["churn-demo", "churn-demo-linear", "spend-demo", "acct_churn_v2"])
def test_each_customer_reads_the_same_on_the_page_in_the_files_and_from_the_cli(name, models, monkeypatch, capsys):
    monkeypatch.setenv("PLAINSIGHT_MODELS_DIR", models)
    folder = _folder(models, name)
    bundle = load_bundle(folder, trusted=[folder.parent])
    positions = sorted(np.random.default_rng(11).choice(len(bundle.X), CUSTOMERS, replace=False).tolist())

    pdf = _pdf_pages(export_bytes(customer_slides(bundle, positions, Settings()), ".pdf", fake_render))
    deck = _pptx_text(export_bytes(customer_slides(bundle, positions, Settings()), ".pptx", fake_render))
    # A customer's PDF pages: from the page with their title to the next customer's title.
    title = bundle.card.entity.capitalize()  # "Customer"; a card-less bundle's neutral "Case"
    starts = [next(i for i, page in enumerate(pdf) if page.startswith(f"{title} {bundle.ids[p]}")) for p in positions]
    pages = [" ".join(pdf[a:b]) for a, b in zip(starts, [*starts[1:], len(pdf)], strict=True)]

    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["model"] = name
    at.query_params["customer"] = bundle.ids[positions[0]]
    at.run()
    at.switch_page("views/customer.py").run()
    checked = 0
    for i, position in enumerate(positions):
        row_id = bundle.ids[position]
        if i:
            at.text_input(key=f"customer_search_{name}").set_value(row_id).run()
        assert not at.exception
        told = _report_json(capsys, str(folder), "--row", row_id)
        page = _page_text(at)

        # The chance (or the expected amount): the page's headline figure, the files' and the CLI's.
        figure = told["facts"][0]
        assert _flat(at.metric[0].label) == figure["label"] and _flat(at.metric[0].value) == figure["value"]
        assert f"{figure['value']} {figure['label']}" in pages[i] and figure["value"] in deck
        # The value at risk: said on the page, a headline figure in the files, the same amount.
        if bundle.is_classifier and bundle.card.business is not None:
            at_risk = told["facts"][1]["value"]
            assert told["value_at_risk_sentence"] in " ".join(_flat(c.value) for c in at.caption)
            assert re.search(r"\$[\d,.]+", at_risk)[0] in told["value_at_risk_sentence"]
            assert f"{at_risk} Value at risk" in pages[i] and at_risk in deck
        # The main reasons, sentence for sentence.
        reasons = told["reason_sentences"]
        assert " ".join(reasons) in page
        assert all(sentence in pages[i] and sentence in deck for sentence in reasons)
        # What would change it: the same checked changes, or none anywhere.
        found = [line["sentence"] for line in told["suggestions"]["lines"]]
        shown = [m for m in page if m.startswith("Changing ")]
        assert shown == found
        tries = [link.proto for link in at.get("page_link") if link.proto.label == "Try it in What if"]
        assert len(tries) == len(found)  # one way into What if beside each change, for this customer
        assert all(parse_qs(link.query_string)["customer"] == [row_id] for link in tries)
        assert all(sentence in pages[i] and sentence in deck for sentence in found)
        assert ("What would change it" in pages[i]) == bool(found)
        checked += 1
    assert checked == CUSTOMERS


def _impact_page(models: str, name: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["model"] = name
    at.run()
    at.switch_page("views/impact.py").run()
    assert not at.exception
    return at


def test_the_overview_and_impact_read_the_same_with_the_readers_assumptions(models, monkeypatch, capsys):
    monkeypatch.setenv("PLAINSIGHT_MODELS_DIR", models)
    folder = _folder(models, "churn-demo")
    bundle = load_bundle(folder, trusted=[folder.parent])
    at = _impact_page(models, "churn-demo")
    at.slider(key="impact_success").set_value(55).run()
    at.text_input(key="impact_budget_text_churn-demo").input("$9,000").run()
    assert not at.exception
    impact_sentences = _page_text(at)[:2]

    told = _report_json(capsys, str(folder), "--story", "impact", "--success-rate", "55", "--budget", "9000")
    assert " ".join(told["headline"][:1]) == impact_sentences[0]
    assert " ".join(told["headline"][1:]) == impact_sentences[1]
    assert "keeps 55 in 100 of those who would leave" in impact_sentences[1]
    assert {_flat(m.label): _flat(m.value) for m in at.metric} == {f["label"]: f["value"] for f in told["facts"]}

    # The overview, in the same session, says what the impact page said with the reader's assumptions.
    at.switch_page("views/overview.py").run()
    assert not at.exception
    page = _page_text(at)
    assert " ".join(told["headline"]) in page
    overview = _report_json(capsys, str(folder), "--success-rate", "55", "--budget", "9000")
    assert overview["business"] == told["headline"]
    assert {_flat(m.label): _flat(m.value) for m in at.metric} == {f["label"]: f["value"] for f in overview["facts"]}
    # It leads with the business answer, from the same impact figures, then the rest of the headline.
    assert page[0] == overview["headline"][0]
    assert f"act on the {overview['acted']:,} customers most at risk" in page[0]
    left = re.search(r"After the cost, that leaves (about )?(\$\d[\d,]*(\.\d+ million)?)", " ".join(told["headline"]))
    assert f"to keep {left[1] or ''}{left[2]} of it, after costs." in page[0]  # the impact page's net, said the same
    assert " ".join(overview["headline"][1:]) in page

    # A file from the engine with the same settings, as the pages' exports lay it out.
    settings = Settings(success_rate=0.55, budget=9000.0)
    text = " ".join(
        _pdf_pages(export_bytes([overview_slide(overview_report(bundle, settings), bundle)], ".pdf", fake_render))
    )
    assert all(sentence in text for sentence in told["headline"])
    assert all(f"{f['value']} {f['label']}" in text for f in overview["facts"])


@needs_browser
def test_the_export_page_builds_the_overview_with_the_assumptions_set_on_the_impact_page(models, monkeypatch, capsys):
    monkeypatch.setenv("PLAINSIGHT_MODELS_DIR", models)
    folder = _folder(models, "churn-demo")
    at = _impact_page(models, "churn-demo")
    at.slider(key="impact_success").set_value(45).run()
    at.switch_page("views/export.py").run()
    at.radio(key="export_format").set_value(".pptx").run()
    at.button(key="export_build").click().run()
    assert not at.exception
    deck = _pptx_text(at.session_state["export_file"][1])
    told = _report_json(capsys, str(folder), "--story", "impact", "--success-rate", "45")
    assert all(sentence in deck for sentence in told["headline"])
    assert "keeps 45 in 100 of those who would leave" in deck

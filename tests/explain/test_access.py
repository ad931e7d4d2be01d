"""The operator's access file: who may open which model, read again when it changes, and never opened by a typo."""

from __future__ import annotations

import os

import pytest

from explain.bundle.access import AccessError, AccessRules, current_rules, parse_access

RULES = """
# readers per model
default: ["@acme.com"]
models:
  churn-demo: [Alice@Acme.com, "@sales.acme.com", partner.org]
  spend-demo: ["*"]
  secret: []
"""


@pytest.mark.parametrize(
    ("email", "model", "allowed"),
    [
        ("alice@acme.com", "churn-demo", True),  # any case
        ("ALICE@ACME.COM", "churn-demo", True),
        ("bob@acme.com", "churn-demo", False),  # the model names its readers: the default does not add to them
        ("carol@sales.acme.com", "churn-demo", True),  # a whole domain
        ("dave@partner.org", "churn-demo", True),  # a bare domain is the domain
        ("eve@notpartner.org", "churn-demo", False),  # a domain is matched after the @, never as a suffix of text
        ("eve@evil-acme.com", "other-model", False),
        ("bob@acme.com", "other-model", True),  # a model the file does not name follows the default
        ("anyone@example.net", "spend-demo", True),  # "*": anyone signed in
        ("alice@acme.com", "secret", False),  # an empty list: nobody
        (None, "spend-demo", False),  # nobody without an email, even for "*"
        ("", "spend-demo", False),
        ("not-an-email", "spend-demo", False),
    ],
)
def test_who_may_open_which_model(email, model, allowed):
    assert parse_access(RULES).allows(email, model) is allowed


def test_the_models_a_reader_sees_keep_their_order():
    rules = parse_access(RULES)
    assert rules.models_for("bob@acme.com", ["churn-demo", "spend-demo", "other", "secret"]) == ["spend-demo", "other"]


def test_without_a_default_a_model_the_file_does_not_name_is_closed():
    assert parse_access("models: {churn-demo: ['*']}").allows("a@b.com", "spend-demo") is False
    assert AccessRules().allows("a@b.com", "churn-demo") is False


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("default: [a@b.com\nmodels: {}", "is not valid YAML on line"),
        ("readers: [a@b.com]", "holds default: (a list of readers) and models:"),
        ("models: [churn-demo]", "models: maps each model's folder name"),
        ("models: {churn-demo: {a: 1}}", "models.churn-demo is a list of emails"),
        ("default: ['a b@c.com']", "default holds 'a b@c.com', which is not an email"),
        ("default: ['a@b@c.com']", "which is not an email"),
    ],
)
def test_a_file_that_cannot_be_used_says_where(text, said):
    with pytest.raises(AccessError, match=said.replace("(", r"\(").replace(")", r"\)")):
        parse_access(text)


def test_a_change_to_the_file_applies_at_once_and_a_broken_file_opens_nothing(tmp_path):
    path = tmp_path / "access.yaml"
    path.write_text("default: ['@acme.com']", encoding="utf-8")
    assert current_rules(path).allows("bob@acme.com", "churn-demo")

    path.write_text("default: ['@other.com']", encoding="utf-8")
    os.utime(path, ns=(1, 2_000_000_000_000_000_000))  # a new time of change, whatever the clock's resolution
    assert not current_rules(path).allows("bob@acme.com", "churn-demo")

    path.write_text("default: ['@acme.com'", encoding="utf-8")  # a typo
    with pytest.raises(AccessError, match="not valid YAML"):
        current_rules(path)
    path.unlink()
    with pytest.raises(AccessError, match="is missing, so no model can be opened"):
        current_rules(path)

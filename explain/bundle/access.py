"""Who may open which model: the operator's access file, kept outside the bundles (issue 17).

The file is YAML, named by ``PLAINSIGHT_ACCESS_FILE``::

    # Emails, or whole domains ("@acme.com"); "*" is anyone who signed in.
    default: ["@acme.com"]                  # the models not named below
    models:
      churn-demo: [alice@acme.com, "@sales.acme.com"]
      spend-demo: ["*"]

It only matters when sign-in is on: the app then shows a reader only the models the file gives them. A model the
file does not name follows ``default``; without a ``default``, nobody may open it. The file is read again whenever
it changes (its size or time of change), so a change applies to the next page without a restart. A file that
cannot be read gives nobody access and says why, line included: a typo must never open every model.
The command line is not affected: it runs as the operator.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from explain.errors import PlainsightError

ACCESS_FILE_ENV = "PLAINSIGHT_ACCESS_FILE"
ANYONE = "*"


class AccessError(PlainsightError):
    """The access file cannot be used (the message names the file, the line or the entry)."""


@dataclass(frozen=True)
class AccessRules:
    """Each model's readers (emails and ``@domains``), and the readers of the models the file does not name."""

    default: tuple[str, ...] = ()
    models: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def allows(self, email: str | None, model: str) -> bool:
        """Whether the reader signed in as ``email`` may open ``model``; nobody without an email may."""
        if not email or "@" not in email:
            return False
        readers = self.models.get(model, self.default)
        address = email.strip().casefold()
        return any(_matches(address, reader) for reader in readers)

    def models_for(self, email: str | None, names: list[str]) -> list[str]:
        """The models in ``names`` this reader may open, in the same order."""
        return [name for name in names if self.allows(email, name)]


def _matches(address: str, reader: str) -> bool:
    if reader == ANYONE:
        return True
    if reader.startswith("@"):
        return address.endswith(reader)
    if "@" not in reader:  # a bare domain: "acme.com" is "@acme.com"
        return address.endswith("@" + reader)
    return address == reader


def parse_access(text: str, name: str = "access.yaml") -> AccessRules:
    """The rules in the text of an access file.

    Raises
    ------
    AccessError
        When it is not YAML, or not the shape above; the message names the line or the entry.
    """
    try:
        raw = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" on line {mark.line + 1}" if mark is not None else ""
        raise AccessError(f"{name} is not valid YAML{where}: {exc.problem}.") from None
    except yaml.YAMLError as exc:
        raise AccessError(f"{name} could not be read: {exc}.") from None
    if raw is None:
        return AccessRules()
    if not isinstance(raw, dict) or not set(raw) <= {"default", "models"}:
        raise AccessError(f"{name} holds default: (a list of readers) and models: (each model's list), nothing else.")
    models = raw.get("models") or {}
    if not isinstance(models, dict):
        raise AccessError(f"{name}: models: maps each model's folder name to its readers, like churn-demo: [a@b.com].")
    return AccessRules(
        default=_readers(raw.get("default"), "default", name),
        models={str(model): _readers(readers, f"models.{model}", name) for model, readers in models.items()},
    )


def _readers(raw: Any, where: str, name: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        raise AccessError(f'{name}: {where} is a list of emails or @domains, like [alice@acme.com, "@acme.com"].')
    readers = []
    for item in raw:
        reader = str(item).strip().casefold()
        if reader != ANYONE and (not reader or " " in reader or reader.count("@") > 1 or reader.endswith("@")):
            raise AccessError(f"{name}: {where} holds '{item}', which is not an email, an @domain or \"*\".")
        readers.append(reader)
    return tuple(readers)


class _Kept:
    """The last rules read, with the size and time of change of the file they came from."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.stamp: tuple[str, int, int] | None = None
        self.rules: AccessRules | AccessError = AccessRules()


_KEPT = _Kept()


def access_file() -> Path | None:
    """The operator's access file (``PLAINSIGHT_ACCESS_FILE``), or None when there is none."""
    configured = os.environ.get(ACCESS_FILE_ENV, "").strip()
    return Path(configured).expanduser() if configured else None


def current_rules(path: Path) -> AccessRules:
    """The rules in ``path``, read again only when the file changed (a stat per call: cheap enough per page).

    Raises
    ------
    AccessError
        When the file is missing or cannot be used: the app then opens no model to anyone.
    """
    try:
        stat = path.stat()
    except OSError:
        raise AccessError(f"The access file {path} is missing, so no model can be opened.") from None
    stamp = (str(path), stat.st_size, stat.st_mtime_ns)
    with _KEPT.lock:
        if _KEPT.stamp != stamp:
            try:
                _KEPT.rules = parse_access(path.read_text(encoding="utf-8"), path.name)
            except AccessError as exc:
                _KEPT.rules = exc
            except (OSError, UnicodeDecodeError) as exc:
                _KEPT.rules = AccessError(f"The access file {path} could not be read ({exc}).")
            _KEPT.stamp = stamp
        found = _KEPT.rules
    if isinstance(found, AccessError):
        raise found
    return found

"""Every setting has a default and help text and is documented in the README (as datasette does)."""

from __future__ import annotations

from pathlib import Path

import pytest

from oxychain.app import Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_setting_is_documented(name: str) -> None:
    field = Settings.model_fields[name]
    assert field.description, f"{name} has no help text"
    assert f"OXYCHAIN_{name.upper()}" in README, f"OXYCHAIN_{name.upper()} is not in README.md"


def test_settings_read_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OXYCHAIN_DATABASE_URL", "sqlite:///elsewhere.db")
    assert Settings().database_url == "sqlite:///elsewhere.db"

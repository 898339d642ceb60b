"""The README is the contract users read: every flag and every finding code must be in it."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from auditor import codes
from auditor.cli import _parser

README = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")


def _check_flags() -> list[str]:
    parser = _parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return [opt for action in sub.choices["check"]._actions for opt in action.option_strings
            if opt not in ("-h", "--help")]


@pytest.mark.parametrize("flag", _check_flags())
def test_every_flag_is_documented(flag):
    assert f"`{flag}" in README or f"{flag} " in README


@pytest.mark.parametrize("code", codes.documented_codes(), ids=lambda c: c.code)
def test_every_finding_code_is_documented(code):
    assert f"| {code.code} | {code.name} | {code.severity} |" in README


def test_readme_shows_the_two_setup_commands():
    assert "uv run auditor check data/examples/lactation-training.bib" in README
    assert "uv run pytest" in README

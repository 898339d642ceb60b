"""Settings precedence: flags > environment > auditor.toml / [tool.auditor] > defaults."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from auditor.config import DEFAULT_CROSSREF_URL, load_settings
from auditor.errors import ConfigError


def test_defaults(tmp_path):
    s = load_settings({}, environ={}, cwd=tmp_path)
    assert (s.recent_years, s.crossref_url, s.mailto, s.fail_on) == (
        5, DEFAULT_CROSSREF_URL, None, ("retracted",))
    assert s.as_of == dt.date.today()
    assert s.origins["recent_years"] == "default"


def test_file_then_environment_then_flags(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.auditor]\nmailto = "file@example.org"\nrecent-years = 7\n'
        'crossref_url = "http://file.example"\n', "utf-8")
    nested = tmp_path / "courses" / "2026"
    nested.mkdir(parents=True)
    env = {"AUDITOR_MAILTO": "env@example.org"}
    s = load_settings({"crossref_url": "http://flag.example"}, environ=env, cwd=nested)
    assert s.recent_years == 7
    assert s.mailto == "env@example.org"
    assert s.crossref_url == "http://flag.example"
    assert s.origins == {**s.origins, "recent_years": str(tmp_path / "pyproject.toml"),
                         "mailto": "$AUDITOR_MAILTO", "crossref_url": "the command line"}


def test_auditor_toml_wins_over_a_pyproject_without_the_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', "utf-8")
    (tmp_path / "auditor.toml").write_text('recent_years = 10\nfail_on = ["retracted", '
                                           '"not-found"]\n', "utf-8")
    s = load_settings({}, environ={}, cwd=tmp_path)
    assert (s.recent_years, s.fail_on) == (10, ("retracted", "not-found"))


def test_cache_dir_from_environment(tmp_path):
    s = load_settings({}, environ={"AUDITOR_CACHE_DIR": str(tmp_path / "c")}, cwd=tmp_path)
    assert s.cache_path() == tmp_path / "c" / "crossref.sqlite3"


def test_default_cache_is_in_the_user_cache_dir(tmp_path):
    path = load_settings({}, environ={}, cwd=tmp_path).cache_path()
    assert path.name == "crossref.sqlite3" and "auditor" in path.parts


@pytest.mark.parametrize(("flags", "message"), [
    pytest.param({"as_of": "27/11/2026"}, "as-of", id="date-format"),
    pytest.param({"recent_years": -2}, "recent-years", id="negative-years"),
    pytest.param({"mailto": "not-an-address"}, "mailto", id="mailto"),
    pytest.param({"fail_on": ["retracted", "typo"]}, "typo", id="fail-on"),
])
def test_invalid_values_name_the_setting(tmp_path, flags, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(flags, environ={}, cwd=tmp_path)


def test_broken_config_file_names_the_file(tmp_path):
    (tmp_path / "auditor.toml").write_text("recent_years = [", "utf-8")
    with pytest.raises(ConfigError, match=str(Path(tmp_path / "auditor.toml"))):
        load_settings({}, environ={}, cwd=tmp_path)


def test_unknown_key_in_a_config_file_is_an_error(tmp_path):
    (tmp_path / "auditor.toml").write_text('recent_yaers = 3\n', "utf-8")
    with pytest.raises(ConfigError, match="unknown setting 'recent_yaers'"):
        load_settings({}, environ={}, cwd=tmp_path)


@pytest.mark.parametrize(("raw", "share"), [
    ("0.8", 0.8), ("80%", 0.8), (" 80 % ", 0.8), (0.75, 0.75), ("1", 1.0), ("0", 0.0),
    ("none", None),
])
def test_shares_accept_fractions_and_percentages(tmp_path, raw, share):
    settings = load_settings({"min_recent_share": raw}, environ={}, cwd=tmp_path)
    assert settings.min_recent_share == share


@pytest.mark.parametrize("raw", ["80", "1.5", "-0.1", "101%", "most"])
def test_shares_outside_zero_to_one_are_refused(tmp_path, raw):
    with pytest.raises(ConfigError, match="min-peer-reviewed-share"):
        load_settings({"min_peer_reviewed_share": raw}, environ={}, cwd=tmp_path)


def test_policy_from_a_file_with_origins(tmp_path):
    (tmp_path / "auditor.toml").write_text(
        'max_median_age = 7\nwarn_on = ["preprint"]\nguideline_years = 3\npubmed = true\n',
        encoding="utf-8")
    settings = load_settings({"max_median_age": "9"}, environ={}, cwd=tmp_path)
    assert (settings.max_median_age, settings.warn_on, settings.guideline_years,
            settings.pubmed) == (9.0, ("preprint",), 3, True)
    assert settings.origins["max_median_age"] == "the command line"
    assert settings.origins["warn_on"] == str(tmp_path / "auditor.toml")


def test_the_ncbi_key_comes_from_the_environment_only(tmp_path):
    settings = load_settings({}, environ={"NCBI_API_KEY": "abc", "AUDITOR_NCBI_URL":
                                          "http://127.0.0.1:8/eutils/"}, cwd=tmp_path)
    assert (settings.ncbi_api_key, settings.ncbi_url) == ("abc", "http://127.0.0.1:8/eutils")
    assert "abc" not in repr(settings)
    (tmp_path / "auditor.toml").write_text('ncbi_api_key = "abc"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="only from the NCBI_API_KEY environment"):
        load_settings({}, environ={}, cwd=tmp_path)


@pytest.mark.parametrize(("setting", "raw"), [
    ("max_median_age", "nan"), ("max_median_age", "inf"), ("max_median_age", "1e309"),
    ("max_median_age", True), ("min_recent_share", True), ("min_recent_share", "nan%"),
    ("recent_years", 2.5), ("recent_years", True), ("guideline_years", False),
    ("recent_years", "five"), ("pubmed", "maybe"), ("pubmed", 2), ("timeout", "inf"),
])
def test_values_that_are_not_what_they_seem_are_refused(tmp_path, setting, raw):
    with pytest.raises(ConfigError, match=setting.replace("_", "-")):
        load_settings({setting: raw}, environ={}, cwd=tmp_path)


def test_whole_numbers_may_be_written_as_floats_or_text(tmp_path):
    settings = load_settings({"recent_years": 7.0, "guideline_years": "3"}, environ={},
                             cwd=tmp_path)
    assert (settings.recent_years, settings.guideline_years) == (7, 3)


def test_every_settings_flag_of_check_and_fix_reaches_its_setting():
    import datetime as dt

    from auditor.cli import _parser
    from auditor.options import settings_flags

    for command in (["check", "x.bib"], ["fix", "x.bib", "--dry-run"]):
        args = _parser().parse_args([*command, "--as-of", "2020-01-02", "--timeout", "7",
                                     "--retries", "2", "--no-cache", "--offline",
                                     "--mailto", "a@b.org"])
        settings = load_settings(settings_flags(args), read_config_file=False, environ={})
        assert (settings.as_of, settings.timeout, settings.max_retries, settings.use_cache,
                settings.offline, settings.mailto) == (dt.date(2020, 1, 2), 7.0, 2, False,
                                                       True, "a@b.org")

"""Publication year, age at the as-of date, and whether the work counts as recent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from auditor import codes
from auditor.model import Finding, Reference, Work


@dataclass(frozen=True)
class Dating:
    year: int | None
    source: str | None  # "crossref" (the registry), "cited" (the entry) or None
    age_years: int | None
    recent: bool | None
    findings: tuple[Finding, ...]


def cited_year_agrees(cited: int, work: Work) -> bool:
    """Print and online years differ in about 4 % of records: accept either, and ±1."""
    years = {y for y in (work.year, work.print_year, work.online_year) if y}
    return any(abs(cited - y) <= 1 for y in years) if years else True


def judge_dates(reference: Reference, work: Work | None, as_of: dt.date, recent_years: int
                ) -> Dating:
    """Age in whole years at `as_of` (the training's date): 2016 at 2026-11-27 → 10."""
    findings: list[Finding] = []
    if work is not None and work.year:
        year, source = work.year, work.agency
        if reference.year and not cited_year_agrees(reference.year, work):
            findings.append(codes.YEAR_DIFFERS.make(
                "cited as {cited}, Crossref says {registered}", cited=reference.year,
                registered=work.year))
    elif reference.year:
        year, source = reference.year, "cited"
    else:
        findings.append(codes.MISSING_YEAR.make("no publication year in the entry or the registry"))
        return Dating(None, None, None, None, tuple(findings))
    age = as_of.year - year
    if age < 0:
        findings.append(codes.FUTURE_YEAR.make(
            "year {year} is after the as-of date {as_of} (in press, or a typo?)", year=year,
            as_of=as_of.isoformat()))
        age = 0
    recent = age <= recent_years
    if not recent:
        findings.append(codes.NOT_RECENT.make(
            "{age} years old at {as_of} (recent means ≤ {recent_years})", age=age,
            as_of=as_of.isoformat(), recent_years=recent_years))
    return Dating(year, source, age, recent, tuple(findings))

"""A work's BibTeX entry from doi.org by content negotiation (habanero), for `fix --add-published`.

`fetch_bibtex("10.7717/peerj.3811")` asks `https://doi.org/10.7717/peerj.3811` with
`Accept: application/x-bibtex` (habanero's `bibentry` format, the text as the registry wrote it)
and never raises: a failure comes back as `Negotiated(bibtex=None, reason="…")`.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from auditor.config import Settings

DEFAULT_DOI_URL = "https://doi.org"
DOI_URL_ENVIRONMENT = "AUDITOR_DOI_URL"


@dataclass(frozen=True)
class Negotiated:
    """The answer for one DOI: the BibTeX text, or why there is none."""

    doi: str
    bibtex: str | None
    reason: str | None = None


def fetch_bibtex(doi: str, base_url: str = DEFAULT_DOI_URL, timeout: float = Settings.timeout
                 ) -> Negotiated:
    """The BibTeX entry the DOI's registry gives for `doi`, asked at `base_url`."""
    base = base_url.rstrip("/")
    try:
        from habanero import cn
    except ImportError:
        return Negotiated(doi, None, "habanero is not installed (pip install habanero)")
    try:
        text = cn.content_negotiation(ids=quote(doi, safe="/()-._;:~"), format="bibentry",
                                      url=base, timeout=timeout)
    except Exception as exc:  # a network fault or an error status: reported, never raised
        return Negotiated(doi, None, _reason(exc, base))
    if not isinstance(text, str) or not text.strip():
        return Negotiated(doi, None, f"{_host(base)} gave an empty answer")
    return Negotiated(doi, text.strip())


def _host(url: str) -> str:
    return url.split("/")[2] if "://" in url else url


def _reason(exc: Exception, base: str) -> str:
    """`doi.org answered 404`, `doi.org did not answer in time`, or the exception's name."""
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    if isinstance(status, int):
        return f"{_host(base)} answered {status}"
    name = type(exc).__name__
    if "Timeout" in name:
        return f"{_host(base)} did not answer in time"
    if "Connect" in name:
        return f"{_host(base)} could not be reached"
    return f"{name}: {exc}"[:200]

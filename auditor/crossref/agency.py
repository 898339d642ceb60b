"""DOIs Crossref does not know: which registry has them, and what DataCite says of them.

Crossref answers 404 for DOIs registered elsewhere — arXiv (10.48550) and Zenodo (10.5281) are
DataCite's. Before a DOI is called not-found, `/works/{doi}/agency` asks which agency registered
it; DataCite's REST API (`/dois/{doi}`) then describes it. Only a DOI that no registry knows is
not-found; one registered with an agency we cannot read (mEDRA, JaLC, KISTI…) stays unchecked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from auditor.crossref.records import work_from_datacite
from auditor.crossref.transport import Reply
from auditor.i18n import N_, Phrase, Said
from auditor.model import Lookup
from auditor.vocabulary import LookupState

AGENCY_NAMES = {"datacite": "DataCite", "medra": "mEDRA", "jalc": "JaLC", "kisti": "KISTI",
                "airiti": "Airiti", "cnki": "CNKI",
                "op": Phrase(N_("the EU Publications Office")),
                "public": Phrase(N_("the Public DOI registry")), "crossref": "Crossref"}


# Why a DOI is not found, fresh or from the cache: one sentence, so a report does not change
# with the cache.
NO_REGISTRY = N_("no registry knows this DOI (Crossref has no record and its agency lookup "
                 "found none)")
NOT_CROSSREF = N_("Crossref does not know this DOI")


@dataclass(frozen=True)
class AgencyOutcome:
    """What was learnt about a DOI that Crossref does not know."""

    agency: Reply
    datacite: Reply | None = None

    def lookup(self, doi: str) -> tuple[Lookup, dict | None]:
        """The Lookup to report, and the record to cache (None: nothing to cache)."""
        if self.agency.not_found:
            return Lookup(doi, LookupState.NOT_FOUND, reason=NO_REGISTRY), None
        if self.agency.failure is not None:
            # Crossref did answer 404; only the other registries are unknown. Not cached, so
            # a later run checks them again.
            return Lookup(doi, LookupState.NOT_FOUND, reason="Crossref does not know this DOI "
                          f"(other registries could not be checked: {self.agency.reason})"), None
        agency = _agency_id(self.agency)
        name = AGENCY_NAMES.get(agency, agency or Phrase(N_("an unknown agency")))
        if agency in (None, "crossref"):
            return Lookup(doi, LookupState.NOT_FOUND, reason=NOT_CROSSREF), None
        if agency != "datacite" or self.datacite is None:
            return Lookup(doi, LookupState.UNCHECKED, reason=Said(
                "registered with {agency}, whose records the auditor cannot read yet",
                agency=name)), None
        if self.datacite.failure is not None or self.datacite.not_found:
            why = self.datacite.reason or "DataCite has no record"
            return Lookup(doi, LookupState.UNCHECKED,
                          reason=f"registered with DataCite; {why}"), None
        data = self.datacite.payload["data"]
        try:
            work = work_from_datacite(data)
        except ValueError as exc:
            return Lookup(doi, LookupState.UNCHECKED, reason=f"DataCite's record could not be read "
                          f"({exc})"), None
        return Lookup(doi, LookupState.FOUND, work=work), {"datacite": data}


def _agency_id(reply: Reply) -> str | None:
    agency = reply.payload["message"].get("agency") if reply.payload else None
    ident = agency.get("id") if isinstance(agency, dict) else None
    return ident.strip().lower() if isinstance(ident, str) and ident.strip() else None


def ask_agency(doi: str, agency_of: Callable[[str], Reply],
               datacite_record: Callable[[str], Reply] | None) -> AgencyOutcome:
    """On a worker thread: the agency lookup (`agency_of(doi)`, Crossref's
    `/works/{doi}/agency`), then DataCite's record (`datacite_record(doi)`) when it is
    DataCite's DOI and DataCite is to be asked. The requests are the client's: this module only
    decides what to ask and what the answers mean."""
    agency = agency_of(doi)
    if agency.failure is not None or agency.not_found or _agency_id(agency) != "datacite" \
            or datacite_record is None:
        return AgencyOutcome(agency)
    return AgencyOutcome(agency, datacite_record(doi))

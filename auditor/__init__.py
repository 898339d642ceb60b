"""auditor — is this reference list recent, peer reviewed and sound? Checked on Crossref.

    import auditor
    report = auditor.audit("training.bib", as_of="2026-01-01", mailto="me@example.org")
    report.summary.peer_reviewed_share
    df = report.to_frame()
    trainings = auditor.audit_many("catalogue/")   # one row per training
"""

from __future__ import annotations

from auditor._version import __version__
from auditor.catalogue import Catalogue, audit_catalogue, audit_many
from auditor.config import Settings, load_settings
from auditor.errors import AuditorError, ConfigError, InputError
from auditor.model import Evidence, Finding, Lookup, Reference, Update, Verdict, Work
from auditor.pipeline import audit
from auditor.report import Report
from auditor.vocabulary import Condition, Design, Kind, PeerReview, Resolution, Status

__all__ = [
    "AuditorError", "Catalogue", "Condition", "ConfigError", "Design", "Evidence", "Finding",
    "InputError", "Kind", "Lookup", "PeerReview", "Reference", "Report", "Resolution", "Settings",
    "Status", "Update", "Verdict", "Work", "__version__", "audit", "audit_catalogue",
    "audit_many", "load_settings",
]

"""One reference list, four ways a trainer may hold it — a .bib, a Word file, a PDF, a saved
web page — must give one scorecard: the document readers change where a reference is read
from, never what is concluded about it."""

from __future__ import annotations

import io
import json
from html import escape
from xml.sax.saxutils import escape as xml_escape

import docx
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate

import auditor

# The stand-in's records (tests/fixtures/stand-in): a journal article, a PLoS ONE article
# with a correction, a bioRxiv preprint, and a DOI no registry knows.
LIST = [
    ("victora2016", "Victora CG, Bahl R. Breastfeeding in the 21st century: epidemiology, "
     "mechanisms, and lifelong effect. Lancet. 2016. doi:10.1016/S0140-6736(15)01024-7",
     "@article{victora2016, author = {Victora, Cesar G. and Bahl, Rajiv}, title = {Breastfeeding "
     "in the 21st century: epidemiology, mechanisms, and lifelong effect}, journal = {The "
     "Lancet}, year = {2016}, doi = {10.1016/S0140-6736(15)01024-7}}"),
    ("sadasivan2012", "Sadasivan H. Methylphenidate exposure induces dopamine neuron loss and "
     "activation of microglia in the basal ganglia of mice. PLoS ONE. 2012. "
     "doi:10.1371/journal.pone.0033693",
     "@article{sadasivan2012, author = {Sadasivan, Heather}, title = {Methylphenidate exposure "
     "induces dopamine neuron loss and activation of microglia in the basal ganglia of mice}, "
     "journal = {PLoS ONE}, year = {2012}, doi = {10.1371/journal.pone.0033693}}"),
    ("writer2016", "Writer B. A preprint on bioRxiv. 2016. doi:10.1101/055319",
     "@misc{writer2016, author = {Writer, B.}, title = {A preprint on {bioRxiv}}, year = {2016}, "
     "doi = {10.1101/055319}}"),
    ("typo2019", "Nobody A. A paper whose DOI has a typo. Journal of Examples. 2019;12(3):45-50. "
     "doi:10.9999/does-not-exist",
     "@article{typo2019, author = {Nobody, A.}, title = {A paper whose DOI has a typo}, journal "
     "= {Journal of Examples}, year = {2019}, volume = {12}, number = {3}, pages = {45--50}, "
     "doi = {10.9999/does-not-exist}}"),
]


def as_bib(path):
    path.write_text("\n\n".join(bib for _, _, bib in LIST) + "\n", encoding="utf-8")


def as_docx(path):
    document = docx.Document()
    document.add_heading("Formation : allaitement", 0)
    document.add_paragraph("Programme de la journée, mis à jour en 2024.")
    document.add_heading("Bibliographie", 1)
    for _, text, _ in LIST:
        document.add_paragraph(text, style="List Number")
    document.save(path)


def as_pdf(path):
    styles = getSampleStyleSheet()
    out = io.BytesIO()
    story = [Paragraph("Formation : allaitement", styles["Title"]),
             Paragraph("Programme de la journée, mis à jour en 2024.", styles["BodyText"]),
             Paragraph("Références", styles["Heading2"])]
    story += [Paragraph(xml_escape(f"{n}. {text}"), styles["BodyText"])
              for n, (_, text, _) in enumerate(LIST, 1)]
    SimpleDocTemplate(out, pagesize=A4).build(story)
    path.write_bytes(out.getvalue())


def as_html(path):
    items = "".join(f"<li>{escape(text)}</li>" for _, text, _ in LIST)
    path.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Formation</title>"
                    f"</head><body><h1>Formation : allaitement</h1><p>Mis à jour en 2024.</p>"
                    f"<h2>References</h2><ol>{items}</ol></body></html>", encoding="utf-8")


WRITERS = {"bib": as_bib, "docx": as_docx, "pdf": as_pdf, "html": as_html}
# What the scorecard concludes; not which file, line or key it read a reference from.
CONCLUSIONS = ("references", "with_doi", "resolved", "unchecked", "not_found",
               "peer_reviewed_share", "recent_share", "median_age", "kinds", "statuses",
               "years", "outcome", "passed")


@pytest.fixture
def scorecards(crossref, tmp_path):
    cards = {}
    for suffix, write in WRITERS.items():
        path = tmp_path / f"training.{suffix}"
        write(path)
        report = auditor.audit(path, as_of="2026-11-27", mailto="qa@example.org",
                               cache_dir=tmp_path / f"cache-{suffix}")
        summary = json.loads(report.to_json())["summary"]
        cards[suffix] = {k: summary.get(k) for k in CONCLUSIONS}
        cards[suffix]["resolutions"] = sorted(v.resolution for v in report.references)
    return cards


def test_the_same_list_gives_the_same_scorecard_in_every_format(scorecards):
    bib = scorecards["bib"]
    assert bib["references"] == 4 and bib["not_found"] == 1  # the list is what it says
    assert bib["statuses"].get("corrected") == 1
    for suffix in ("docx", "pdf", "html"):
        assert scorecards[suffix] == bib, suffix

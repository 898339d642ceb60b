"""The parts of an HTML report that a single report and a catalogue both show: safe ids and
links, the policy box, the scorecard cards and the reference table's rows. Every string from
the input or a registry goes through `esc` (text and attributes) or `doi_href` (links)."""

from __future__ import annotations

import hashlib
import re
import urllib.parse
from typing import TYPE_CHECKING

from auditor.i18n import N_, N_plural, _, in_language, labelled, n_, number
from auditor.judge.identity import reason_read
from auditor.report.headline import Scored, outcome_line
from auditor.report.html_charts import esc
from auditor.report.ordering import GONE, check_word, group
from auditor.report.words import (
    CONDITION_WORDS,
    DASH,
    KIND_WORDS,
    RECOMMENDATION_WORDS,
    RESOLUTION_WORDS,
    STATUS_WORDS,
    age_spread,
    design_words,
    peer_review_words,
    read_as,
    where,
    words,
    years,
)
from auditor.vocabulary import (
    CONCERN_STATUSES,
    Condition,
    Design,
    Outcome,
    PeerReview,
    PeerReviewSignal,
    Recommendation,
    Resolution,
    Status,
)

if TYPE_CHECKING:
    from auditor.config import Settings
    from auditor.judge.pass_fail import RuleFailure
    from auditor.model import Verdict
    from auditor.report import Report


def settings_line(settings: Settings) -> str:
    """The policy's settings in one line: `fail on: retracted · warn on: … · minimum recent
    share: 60 %`."""
    def named(conditions: tuple[Condition, ...]) -> str:
        return ", ".join(words(CONDITION_WORDS, c) for c in conditions) or _("nothing")

    parts = [_("fails on: {conditions}").format(conditions=named(settings.fail_on)),
             _("warns on: {conditions}").format(conditions=named(settings.warn_on))]
    for label, value in ((_("at least {pct} recent"), settings.min_recent_share),
                         (_("at least {pct} peer reviewed"), settings.min_peer_reviewed_share)):
        if value is not None:
            parts.append(label.format(pct=f"{value * 100:.0f} %"))
    if settings.max_median_age is not None:
        parts.append(_("median age at most {years} years").format(
            years=number(settings.max_median_age)))
    parts.append(_("incomplete below {pct} checked").format(
        pct=f"{settings.min_checked_share * 100:.0f} %"))
    return " · ".join(parts)


def doi_href(doi: str) -> str:
    """https://doi.org/ + the DOI percent-encoded: no other scheme can ever come out of it."""
    return "https://doi.org/" + urllib.parse.quote(doi, safe="/:;()[]<>")


def shown_counter() -> str:
    """Where the filter box says how many rows it shows, in the reader's language (the
    report's script fills in the numbers)."""
    return (f'<span id="shown" class="muted" data-words="{esc(_("{shown} of {total} shown"))}">'
            "</span>")


def doi_link(doi: str) -> str:
    """A link to the DOI's landing page, opened in a new tab: the report shown inside the
    web page's frame cannot show another site, and a reader keeps the report open."""
    return (f'<a href="{esc(doi_href(doi))}" target="_blank" rel="noopener noreferrer">'
            f"{esc(doi)}</a>")


class Anchors:
    """Stable, safe row ids from citation keys (any text): a duplicate key links to its first
    row; input problems are named `file:line` and link to the input-problems table. `prefix`
    keeps the ids of several reports on one page apart (a catalogue: `t3-ref-smith2020`)."""

    def __init__(self, report: Report, prefix: str = "") -> None:
        self.prefix = prefix
        self.ids: dict[str, str] = {}
        self.rows: list[str] = []
        used: set[str] = set()
        for v in report.references:
            slug = re.sub(r"[^A-Za-z0-9_-]", "-", v.key)[:60]
            base = f"{prefix}ref-{slug}" if slug == v.key else \
                f"{prefix}ref-{slug}-{hashlib.sha1(v.key.encode()).hexdigest()[:6]}"
            anchor, n = base, 1
            while anchor in used:
                n += 1
                anchor = f"{base}-{n}"
            used.add(anchor)
            self.rows.append(anchor)
            self.ids.setdefault(v.key, anchor)
        for i, p in enumerate(report.problems):
            self.ids.setdefault(f"{p.source.file}:{p.source.line}", f"{prefix}input-{i + 1}")

    def link(self, key: str) -> str:
        """The key linked to its row; a number-only key (a pasted list's "3") is shown as "#3"
        so that it never reads as a count."""
        anchor = self.ids.get(key)
        shown = esc(f"#{key}" if key.isdigit() else key)
        return f'<a href="#{anchor}">{shown}</a>' if anchor else f"<span>{shown}</span>"

    def keys(self, keys: list[str] | tuple[str, ...], label: str = "") -> str:
        """The keys, each linked to its row, as one wrapped line."""
        if not keys:
            return ""
        lead = f'<span class="muted">{esc(label)}</span> ' if label else ""
        return f'<p class="keys">{lead}' + ", ".join(self.link(k) for k in keys) + "</p>"


def pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f} %"


def rule_list(items: list[RuleFailure], anchors: Anchors, kind: str) -> str:
    """Each failure or warning in words, then links to the rows it names (the rule's code is
    kept for scripts as a data attribute, not shown)."""
    lis = "".join(f'<li class="{kind}" data-rule="{esc(r.rule)}">{esc(r.message)}'
                  f"{anchors.keys(r.keys, _('references:'))}</li>" for r in items)
    return f'<ul class="rules">{lis}</ul>'


# The policy box's look by outcome: only a passed list is ever green.
OUTCOME_LOOK = {Outcome.PASSED: ("pass", "✓"), Outcome.FAILED: ("fail", "✗"),
                Outcome.INCOMPLETE: ("incomplete", "?")}


def policy_box(report: Report, anchors: Anchors, compact: bool = False) -> str:
    """The outcome box; `compact` leaves out the settings and the run's warning (a catalogue
    states them once for all its trainings)."""
    state, mark = OUTCOME_LOOK[report.outcome]
    scored = Scored(report.summary, report.policy, report.settings)
    heading = f"{anchors.prefix}policy-h"
    parts = [f'<section class="policy {state}" aria-labelledby="{heading}">'
             f'<h2 id="{heading}">{mark} {esc(outcome_line(scored))}</h2>'
             + ("" if compact else
                f'<p class="muted">{esc(settings_line(report.settings))}</p>')]
    if report.policy.incomplete:
        parts.append(f'<p class="incomplete-why">{esc(report.policy.incomplete)}</p>')
    if report.policy_failures:
        parts.append(f"<h3>{esc(_('What fails ({n})').format(n=len(report.policy_failures)))}"
                     "</h3>" + rule_list(report.policy_failures, anchors, "failure"))
    if report.policy_warnings:
        parts.append(f"<h3>{esc(_('Warnings ({n})').format(n=len(report.policy_warnings)))}"
                     "</h3>" + rule_list(report.policy_warnings, anchors, "warning"))
    if report.passed and not report.policy_warnings:
        parts.append(f"<p>{esc(_('No rule of the policy is broken.'))}</p>")
    if report.run.stopped_early and not compact:
        parts.append('<p class="warning">' + esc(_(
            "Crossref stopped answering ({why}); the rest is not checked — rerun later.").format(
            why=report.run.stopped_early)) + "</p>")
    return "".join(parts) + "</section>"


def card(label: str, value: str, note: str = "", extra: str = "", tone: str = "") -> str:
    """One scorecard figure; `extra` is markup already escaped (the keys behind the figure)."""
    return (f'<div class="card {tone}"><div class="label">{esc(label)}</div>'
            f'<div class="value">{esc(value)}</div>'
            f'{f"<div class=note>{esc(note)}</div>" if note else ""}{extra}</div>')


def cards(report: Report, anchors: Anchors) -> str:
    s = report.summary

    def keys(*names: str) -> str:
        return anchors.keys([k for n in names for k in s.behind(n)])

    gone = sum(len(s.behind(n)) for n in GONE)
    spread = age_spread(s.age_quartiles) if s.age_quartiles else _("no reference with a year")
    confirmed = sum(n for signal, n in s.peer_review_signals.items()
                    if signal != PeerReviewSignal.ISSN)
    issn_only = s.peer_review_signals.get(PeerReviewSignal.ISSN, 0)
    return '<div class="cards">' + "".join([
        card(_("References"), str(s.references),
             _("{with_doi} with a DOI").format(with_doi=s.with_doi) + " · " + n_(
                 "{n} unreadable", "{n} unreadable", s.unreadable_entries).format(
                 n=s.unreadable_entries),
             keys(Condition.UNREADABLE)),
        card(_("Checked"), f"{s.checked} / {s.checkable}",
             _("references that got an answer from a registry, of those that could be "
               "asked"), keys(Condition.UNCHECKED),
             "good" if s.checked_share == 1 else "warn" if s.checked_share is not None
             else ""),
        card(_("Found on Crossref"), str(s.resolved),
             _("{pct}: the DOI checked, or found by search").format(pct=pct(s.resolved_share))),
        card(_("Peer reviewed"), pct(s.peer_reviewed_share),
             _("{n} of {total} whose peer review is known; {confirmed} confirmed (MEDLINE, "
               "DOAJ, publisher), {issn} on the journal's ISSN only").format(
                 n=s.peer_reviewed, total=s.peer_review_known, confirmed=confirmed,
                 issn=issn_only),
             '<p class="keys"><a href="#guide-h">' + esc(_("what the signals mean"))
             + "</a></p>"),
        card(_("Recent (≤ {years} years)").format(years=report.settings.recent_years),
             pct(s.recent_share), _("{n} of {total} with a year").format(n=s.recent,
                                                                           total=s.dated)),
        card(_("Median age"), years(s.median_age), spread),
        card(_("Retracted, withdrawn, removed"), str(gone) if s.status_checked else DASH,
             (_("of {n} checked; left out of the shares").format(n=s.status_checked)
              if s.status_checked else _("not checked: no registry record could be read")),
             keys(*GONE), "bad" if gone else "good" if s.status_checked else "warn"),
        card(_("DOI problems"),
             str(s.not_found + s.mismatch) if s.checked or not s.checkable else DASH,
             " · ".join(n_(*said, n).format(n=n) for said, n in (
                 (N_plural("{n} unknown to every registry", "{n} unknown to every registry"),
                  s.not_found),
                 (N_plural("{n} leading to another work", "{n} leading to another work"),
                  s.mismatch),
                 (N_plural("{n} without a DOI", "{n} without a DOI"), s.no_identifier))),
             keys(Condition.NOT_FOUND, Condition.MISMATCH),
             "bad" if s.not_found or s.mismatch else ""),
        card(_("Recommendations"), str(s.guidelines),
             _("{n} more than {years} years old: check for an update").format(
                 n=s.outdated_guidelines, years=report.settings.guideline_years),
             keys(Condition.OUTDATED_GUIDELINE), "warn" if s.outdated_guidelines else ""),
        card(_("Preprints"), str(s.preprints),
             _("{n} with a published version").format(n=s.preprints_published),
             keys(Condition.PREPRINT), "warn" if s.preprints else ""),
    ]) + "</div>"


# Column and share of the table's width (a fixed layout: long titles and DOIs wrap, the
# table never runs off the page or the paper).
# (heading, width in %): wide enough for the longest word of each column in English and
# French ("introuvable", "ancien"), so that no badge runs over its neighbour.
REFERENCE_COLUMNS = ((N_("Check"), 9.5), (N_("Key"), 9.5), (N_("Year"), 4.5),
                     (N_("Age"), 4.5), (N_("Kind"), 5.5), (N_("Peer review"), 10),
                     (N_("Status"), 6.5), (N_("Resolution"), 7.5), (N_("Evidence"), 7.5),
                     ("DOI", 9),
                     (N_("Title"), 12.5), (N_("Findings"), 13.5))


def reference_table(rows: str, table_id: str = "") -> str:
    """The reference table around its rows: fixed column widths, sortable headers."""
    cols = "".join(f'<col style="width:{w}%">' for _heading, w in REFERENCE_COLUMNS)
    head = "".join(f'<th scope="col">{esc(_(c))}</th>' for c, _width in REFERENCE_COLUMNS)
    ident = f' id="{table_id}"' if table_id else ""
    return (f'<table{ident} class="refs js-sort"><colgroup>{cols}</colgroup>'
            f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")


def doi_cell(v: Verdict) -> str:
    ref, match = v.reference, v.match
    if match is not None and match.applied:
        return doi_link(match.doi) + (f'<small class="tag good">'
                                      f'{esc(_("found by search"))}</small>')
    parts = []
    if ref.doi:
        parts.append(doi_link(ref.doi))
    elif ref.doi_as_written:
        parts.append(f'<span class="bad">{esc(ref.doi_as_written)}</span>'
                     f'<small>{esc(_("not a DOI: not looked up"))}</small>')
    elif ref.isbn:
        parts.append(f"ISBN {esc(ref.isbn)}")
    if match is not None:
        word = _("the cited work is") if match.accepted else _("closest candidate")
        parts.append(f"<small>{labelled(esc(word), doi_link(match.doi))}</small>")
    return "".join(parts) or '<span class="muted">—</span>'


def evidence_cell(v: Verdict) -> str:
    e = v.evidence
    text = esc(design_words(e.design, e.ocebm_level))
    if e.design == Design.NOT_DETERMINED:
        text = f'<span class="muted">{text}</span>'
    if e.guideline:
        marker = words(RECOMMENDATION_WORDS, e.recommendation or Recommendation.GUIDELINE)
        text += f' <span class="tag guide">{esc(marker)}</span>'
    return f'<span title="{esc(in_language(e.signal))}">{text}</span>'


def status_cell(v: Verdict) -> str:
    if v.status != Status.OK:
        tone = "bad" if v.status in GONE or v.status == CONCERN_STATUSES[0] else "warn"
        notices = "; ".join(f"{u.type} {u.doi or ''} ({u.source or '?'})" for u in v.updates)
        return (f'<span class="tag {tone}" title="{esc(notices)}">'
                f"{esc(words(STATUS_WORDS, v.status))}</span>")
    if not v.status_checked:
        why = _("no registry record to look for notices in")
        return f'<span class="muted" title="{esc(why)}">{esc(_("not checked"))}</span>'
    why = _("the registry records no retraction or correction notice")
    return f'<span title="{esc(why)}">{esc(words(STATUS_WORDS, Status.OK))}</span>'


# Where a row's year comes from, said in its tooltip.
_YEAR_FROM = {"crossref": N_("year from the Crossref record"),
              "datacite": N_("year from the DataCite record"), "cited": N_("year as cited")}
_KIND_FROM = {"entry": N_("kind as the entry gives it"),
              "crossref": N_("kind from the Crossref record"),
              "datacite": N_("kind from the DataCite record")}


def _kind_from(source: str) -> str:
    known = _KIND_FROM.get(source.lower())
    return _(known) if known else _("kind from the {registry} record").format(registry=source)


def reference_row(index: int, v: Verdict, anchor: str) -> str:
    ref, g = v.reference, group(v)
    title = v.work.title if v.work else ref.title
    container = v.work.container if v.work else ref.container
    tone = ("bad", "bad", "bad", "bad", "warn", "muted", "good")[g]
    age = "" if v.age_years is None else str(v.age_years)
    age_word = "" if v.recent is None else (_("recent") if v.recent else _("older"))
    review_why = in_language(v.peer_review_reason)
    review_tone = {PeerReviewSignal.ASSERTED: "good", PeerReviewSignal.INDEXED: "good",
                   PeerReviewSignal.ISSN: "warn"}.get(v.peer_review_signal, "") \
        if v.peer_review == PeerReview.PEER_REVIEWED else \
        "warn" if v.peer_review == PeerReview.NOT_PEER_REVIEWED else ""
    resolution_tone = {Resolution.VERIFIED: "good", Resolution.MATCHED: "good",
                       Resolution.NOT_FOUND: "bad", Resolution.MISMATCH: "bad",
                       Resolution.UNCHECKED: "warn"}.get(v.resolution, "")
    findings = "".join(f'<li class="{esc(f.severity)}" data-code="{esc(f.code)}">'
                       f"{esc(f.text())}</li>" for f in v.findings)
    cells = [
        f'<td data-sort="{g * 1_000_000 + index}"><span class="tag check {tone}">'
        f"{esc(check_word(v))}</span></td>",
        f'<td class="key"><strong>{esc(v.key)}</strong>'
        f"<small>{esc(where(ref.source))}</small></td>",
        f'<td class="num" data-sort="{v.year if v.year is not None else ""}" '
        f'title="{esc(_(_YEAR_FROM.get(v.year_source or "", N_("no year"))))}">'
        f'{v.year or "—"}</td>',
        f'<td class="num" data-sort="{age}">{age or "—"}<small>{age_word}</small></td>',
        f'<td title="{esc(_kind_from(v.kind_source))}">'
        f'{esc(words(KIND_WORDS, v.kind))}</td>',
        f'<td><span class="tag {review_tone}" title="{esc(review_why)}">'
        f"{esc(peer_review_words(v.peer_review, v.peer_review_signal))}"
        f'</span><small class="why">{esc(review_why)}</small></td>',
        f"<td>{status_cell(v)}</td>",
        f'<td><span class="tag {resolution_tone}">'
        f"{esc(words(RESOLUTION_WORDS, v.resolution))}</span>"
        + (f"<small>{esc(reason_read(v.unchecked_reason))}</small>" if v.unchecked_reason
           else "") + "</td>",
        f"<td>{evidence_cell(v)}</td>",
        f'<td class="doi">{doi_cell(v)}</td>',
        f'<td class="title">{esc(title or "—")}'
        + (f'<small class="read-as">{esc(read_as(v))}</small>' if read_as(v) else
           f"<small>{esc(container)}</small>" if container else "") + "</td>",
        f'<td class="findings"><ul>{findings}</ul></td>' if findings else "<td></td>",
    ]
    return f'<tr id="{anchor}" class="g{g}">{"".join(cells)}</tr>'


def input_problems(report: Report, prefix: str = "") -> str:
    if not report.problems:
        return ""
    rows = "".join(
        f'<tr id="{prefix}input-{i + 1}"><td>{esc(where(p.source))}</td>'
        f"<td>{esc(p.finding.text())}</td>"
        f"<td><code>{esc(p.raw[:200])}</code></td></tr>" for i, p in enumerate(report.problems))
    return (f'<section aria-labelledby="{prefix}input-h"><h2 id="{prefix}input-h">'
            f'Input problems ({len(report.problems)})</h2><table class="problems"><thead><tr>'
            f"<th>{esc(_('Where'))}</th><th>{esc(_('What'))}</th><th>{esc(_('Text'))}</th>"
            "</tr></thead>"
            f"<tbody>{rows}</tbody></table></section>")


def legend(settings: Settings) -> str:
    """"How to read this report": every word of the page in plain terms."""
    entries = [
        (_("Outcome"), _(
            "<em>passed</em>: no rule of the policy is broken on the references that were "
            "checked, and enough of them were checked; <em>FAILED</em>: a rule is broken (the "
            "references behind it are named); <em>INCOMPLETE</em>: too few references got an "
            "answer from a registry (below {pct}) to say anything — rerun later. An incomplete "
            "audit is never shown as passed.").format(
            pct=f"{settings.min_checked_share * 100:.0f} %")),
        (_("Peer reviewed"), _(
            "Registries cannot prove that one article was peer reviewed. The report says what "
            "the peer review rests on: the <strong>publisher says so</strong> (or registered "
            "review reports); the journal is <strong>in MEDLINE or DOAJ</strong> (lists that "
            "check a journal's review before taking it); or the journal only has an "
            "<strong>ISSN</strong>, which says a journal exists, not that it reviews what it "
            "publishes (predatory journals have ISSNs). Preprints, editorials, letters, notices "
            "and meeting abstracts are <em>not peer reviewed</em>; reports, theses and web "
            "pages are <em>grey literature</em>; books have editorial review.")),
        (_("Recommendations"), _(
            "Guidelines, consensus and position statements, clinical protocols from an "
            "institution or a society (WHO, NICE, HAS, AAP, ABM…) go through institutional or "
            "expert review, not journal peer review: they are counted apart, never against the "
            "peer-reviewed share. One more than {years} years old should be checked for an "
            "update.").format(years=settings.guideline_years)),
        (_("Recent"), _(
            "At most {years} years old at the as-of date. No evidence-based cut-off exists; "
            "landmark papers are old and still right: the report shows age, it does not "
            "condemn.").format(years=settings.recent_years)),
        (_("Notices"), _(
            "From the registries' notices, most serious first: retracted, withdrawn, removed, "
            "partly retracted, expression of concern, corrected. <em>no notice</em>: none is "
            "recorded (publishers do not always deposit them); <em>not checked</em>: no record "
            "could be read.")),
        (_("DOI"), _(
            "<em>DOI checked</em>: the DOI leads to the cited work; <em>found by search</em>: "
            "no DOI was given and a search found and checked the work; <em>DOI leads to "
            "another work</em>; <em>DOI unknown to every registry</em>; <em>not checked</em>: "
            "no answer could be had, which is <strong>not evidence that anything is "
            "wrong</strong>.")),
        (_("Evidence"), _(
            "A first study-design label from PubMed, the journal and the title, with its "
            "evidence level (OCEBM 2011: 1 strongest, 5 weakest). It is never a GRADE rating, "
            "which rates a body of evidence, not a paper.")),
        (_("Check"), _(
            "The row's most serious problem, in words: retracted (or withdrawn, removed), DOI "
            "not found, wrong DOI, error, warning, ok. Colours repeat these words, they never "
            "replace them.")),
    ]
    body = "".join(f"<dt>{esc(term)}</dt><dd>{text}</dd>" for term, text in entries)
    return (f'<section class="guide-text" aria-labelledby="guide-h"><h2 id="guide-h">'
            f'{esc(_("How to read this report"))}</h2><dl>{body}</dl></section>')

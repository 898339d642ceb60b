"""The visual parts of the HTML report: hand-written inline SVG charts (no library, no external
asset, every label escaped: a registry can put anything in a kind or a design name), the one
stylesheet, the few lines of script and the reading guide."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from auditor.i18n import _, labelled, listed, n_
from auditor.judge.scorecard import NO_LEVEL
from auditor.report.words import DESIGN_WORDS, KIND_WORDS, PEER_REVIEW_WORDS, words
from auditor.vocabulary import PeerReview

WIDTH = 640  # the viewBox width of a half-page chart; the histogram spans the page
HISTOGRAM_WIDTH = 1100
# Okabe–Ito colours (distinguishable with common colour-vision deficiencies); every colour
# also has its word next to it in a legend, so nothing rests on colour alone.
PEER_REVIEW_COLOURS = {
    PeerReview.PEER_REVIEWED: "#009e73", PeerReview.PROCEEDINGS: "#56b4e9",
    PeerReview.BOOK: "#0072b2", PeerReview.GREY: "#cc79a7",
    PeerReview.NOT_PEER_REVIEWED: "#d55e00", PeerReview.UNKNOWN: "#a8b0ba",
}
LEVEL_COLOURS = {"1": "#08306b", "2": "#2166ac", "3": "#4393c3", "4": "#74add1",
                 "5": "#92c5de", NO_LEVEL: "#b8bec6"}
RECENT_COLOUR, OLDER_COLOUR = "#0072b2", "#8d99a6"
BIN_WIDTHS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000)
MAX_BARS = 40


def esc(value: object) -> str:
    """Text or attribute value, safe in HTML and in inline SVG."""
    return html.escape(str(value), quote=True)


@dataclass(frozen=True)
class Segment:
    label: str
    count: int
    colour: str


@dataclass(frozen=True)
class Row:
    label: str
    segments: tuple[Segment, ...]

    @property
    def total(self) -> int:
        return sum(s.count for s in self.segments)


def _svg(chart_id: str, height: int, title: str, desc: str, body: Iterable[str],
         width: int = WIDTH) -> str:
    """The <svg> shell: a title and a description for screen readers, a viewBox that scales."""
    return (f'<svg class="chart" id="{chart_id}" role="img" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" aria-labelledby="{chart_id}-t {chart_id}-d" '
            f'xmlns="http://www.w3.org/2000/svg"><title id="{chart_id}-t">{esc(title)}</title>'
            f'<desc id="{chart_id}-d">{esc(desc)}</desc>{"".join(body)}</svg>')


def _empty(chart_id: str, title: str, message: str, width: int = WIDTH) -> str:
    return _svg(chart_id, 60, title, message,
                [f'<text x="{width / 2}" y="34" text-anchor="middle" class="muted">'
                 f'{esc(message)}</text>'], width)


def nice_step(maximum: int, ticks: int = 4) -> int:
    """A 1-2-5 step giving about `ticks` gridlines up to `maximum` (at least 1)."""
    raw = max(maximum / ticks, 1)
    power = 10 ** math.floor(math.log10(raw))
    return int(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def year_bins(years: Sequence[int], cutoff: int) -> tuple[int, int, int]:
    """(first bin start, bin width, number of bins) covering the years and the cut-off, with at
    most MAX_BARS bars: one per year when they fit, else 2, 5, 10 (decades)… years a bar."""
    low, high = min(*years, cutoff), max(*years, cutoff)
    for width in BIN_WIDTHS:
        start = low // width * width
        count = (high // width * width - start) // width + 1
        if count <= MAX_BARS:
            return start, width, count
    return low, high - low + 1, 1  # unreachable for any calendar year


def _bin_label(start: int, width: int) -> str:
    if width == 1:
        return str(start)
    if width == 10 and start % 10 == 0:
        return f"{start}s"
    return f"{start}–{start + width - 1}"


@dataclass(frozen=True)
class _Plot:
    """The histogram's frame, in viewBox units."""

    left: int = 44
    right: int = 16
    top: int = 44
    bottom: int = 46
    height: int = 280
    width: int = HISTOGRAM_WIDTH

    @property
    def inner_w(self) -> int:
        return self.width - self.left - self.right

    @property
    def inner_h(self) -> int:
        return self.height - self.top - self.bottom

    @property
    def base(self) -> int:
        return self.top + self.inner_h


def _grid(plot: _Plot, y_max: int, step: int) -> list[str]:
    lines = []
    for tick in range(0, y_max + 1, step):
        y = plot.base - tick / y_max * plot.inner_h
        lines.append(f'<line x1="{plot.left}" x2="{plot.width - plot.right}" y1="{y:.1f}" '
                     f'y2="{y:.1f}" class="grid"/><text x="{plot.left - 6}" y="{y + 4:.1f}" '
                     f'text-anchor="end" class="tick">{tick}</text>')
    return lines


def _year_bar(plot: _Plot, x: float, bar_w: float, scale: float, label: str,
              older: int, recent: int) -> list[str]:
    """One bar: the older references at the bottom, the recent ones stacked on top (a bin
    can straddle the cut-off), its total above it."""
    gap = min(max(bar_w * 0.18, 1), 6)
    parts, y = [], float(plot.base)
    for n, colour, said in (
            (older, OLDER_COLOUR, n_("{n} older reference", "{n} older references", older)),
            (recent, RECENT_COLOUR, n_("{n} recent reference", "{n} recent references",
                                       recent))):
        if n:
            h = n * scale
            y -= h
            parts.append(f'<rect x="{x + gap / 2:.1f}" y="{y:.1f}" width="{bar_w - gap:.1f}" '
                         f'height="{h:.1f}" fill="{colour}"><title>{esc(label)}: '
                         f'{esc(said.format(n=n))}</title></rect>')
    if parts and bar_w >= 14:
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                     f'class="value">{older + recent}</text>')
    return parts


def _cutoff(plot: _Plot, x: float, cutoff: int, recent_years: int, as_of_year: int) -> str:
    anchor, dx = ("end", -6) if x > plot.left + plot.inner_w * 0.6 else ("start", 6)
    return (f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{plot.top - 26}" y2="{plot.base}" '
            f'class="cutoff"/><text x="{x + dx:.1f}" y="{plot.top - 16}" '
            f'text-anchor="{anchor}" class="cutoff-label">'
            + esc(_("recent from {cutoff} (≤ {years} years old in {year})").format(
                cutoff=cutoff, years=recent_years, year=as_of_year)) + "</text>")


def year_histogram(years: dict[str, int], as_of_year: int, recent_years: int) -> str:
    """Bars of references per publication year (or per 2, 5, 10… years for a wide range), a
    dashed line at the recency cut-off (the first year that still counts as recent)."""
    title = _("Publication years")
    counts = {int(y): n for y, n in years.items() if str(y).lstrip("-").isdigit() and n > 0}
    if not counts:
        return _empty("chart-years", title, _("No reference has a publication year."),
                      HISTOGRAM_WIDTH)
    cutoff = as_of_year - recent_years
    start, width, nbins = year_bins(list(counts), cutoff)
    older, recent = [0] * nbins, [0] * nbins
    for year, n in counts.items():
        (recent if year >= cutoff else older)[(year - start) // width] += n
    totals = [o + r for o, r in zip(older, recent, strict=True)]
    plot = _Plot()
    step = nice_step(max(totals))
    y_max = (max(totals) // step + 1) * step  # headroom above the tallest bar for its count
    bar_w = plot.inner_w / nbins
    body = _grid(plot, y_max, step)
    every = max(1, math.ceil(nbins / (plot.inner_w / 52)))  # a label at least 52 units apart
    for i in range(nbins):
        x = plot.left + i * bar_w
        body += _year_bar(plot, x, bar_w, plot.inner_h / y_max,
                          _bin_label(start + i * width, width), older[i], recent[i])
        if i % every == 0:
            body.append(f'<text x="{x + bar_w / 2:.1f}" y="{plot.base + 16}" '
                        f'text-anchor="middle" class="tick">{start + i * width}</text>')
    body.append(f'<line x1="{plot.left}" x2="{plot.width - plot.right}" y1="{plot.base}" '
                f'y2="{plot.base}" class="axis"/>')
    body.append(_cutoff(plot, plot.left + (cutoff - start) / width * bar_w, cutoff,
                        recent_years, as_of_year))
    unit = (_("One bar per year") if width == 1 else
            _("One bar per {width} years (labelled by the first year)").format(width=width))
    body.append(f'<text x="{plot.left}" y="{plot.height - 8}" class="muted">'
                + esc(_("{unit}; blue = recent, grey = older.").format(unit=unit)) + "</text>")
    desc = n_("{n} dated reference published {first}–{last}; {recent} from {cutoff} on "
              "(recent); {unit}.", "{n} dated references published {first}–{last}; {recent} "
              "from {cutoff} on (recent); {unit}.", sum(totals)).format(
        n=sum(totals), first=min(counts), last=max(counts), recent=sum(recent), cutoff=cutoff,
        unit=unit[:1].lower() + unit[1:])
    return _svg("chart-years", plot.height, title, desc, body, plot.width)


def bar_rows(chart_id: str, title: str, rows: Sequence[Row], legend: Sequence[Segment],
             label_width: int = 190) -> str:
    """Horizontal bars, one per row, each split into coloured segments; the count at the end
    and a legend (with words and totals) above. Bars share one scale."""
    rows = [r for r in rows if r.total > 0]
    if not rows:
        return _empty(chart_id, title, _("Nothing to show."))
    legend_lines = _legend(legend)
    top = 12 + 20 * len(legend_lines) + 6
    row_h, bar_h = 26, 16
    height = top + row_h * len(rows) + 6
    bar_left, bar_right = label_width + 8, WIDTH - 44
    scale = (bar_right - bar_left) / max(r.total for r in rows)
    body = [line for i, items in enumerate(legend_lines) for line in
            _legend_line(items, 12 + 20 * i)]
    for i, row in enumerate(rows):
        y = top + i * row_h
        body.append(f'<text x="{label_width}" y="{y + bar_h - 3}" text-anchor="end" '
                    f'class="label">{esc(row.label)}</text>')
        x = float(bar_left)
        for seg in row.segments:
            if seg.count <= 0:
                continue
            w = seg.count * scale
            body.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                        f'fill="{seg.colour}"><title>{esc(row.label)}: {seg.count} '
                        f'{esc(seg.label)}</title></rect>')
            x += w
        body.append(f'<text x="{x + 6:.1f}" y="{y + bar_h - 3}" class="value">{row.total}'
                    f'</text>')
    desc = listed([labelled(r.label, ", ".join(f"{s.count} {s.label}" for s in r.segments
                                               if s.count)) for r in rows])
    return _svg(chart_id, height, title, desc, body)


def _legend(items: Sequence[Segment]) -> list[list[Segment]]:
    """Legend entries wrapped into lines that fit the chart width (about 7 px a character)."""
    lines: list[list[Segment]] = [[]]
    used = 0
    for item in items:
        size = 30 + 7 * len(f"{item.label} ({item.count})")
        if lines[-1] and used + size > WIDTH:
            lines.append([])
            used = 0
        lines[-1].append(item)
        used += size
    return lines


def _legend_line(items: Sequence[Segment], y: int) -> list[str]:
    parts, x = [], 0
    for item in items:
        text = f"{item.label} ({item.count})"
        parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" '
                     f'fill="{item.colour}"/><text x="{x + 17}" y="{y}" class="legend">'
                     f'{esc(text)}</text>')
        x += 30 + 7 * len(text)
    return parts


def kinds_chart(pairs: Iterable[tuple[str, str]]) -> str:
    """One bar per kind of work, split by peer-review class: (kind, peer_review) per reference."""
    by_kind: dict[str, dict[str, int]] = {}
    for kind, review in pairs:
        counts = by_kind.setdefault(kind, {})
        counts[review] = counts.get(review, 0) + 1
    order = [*PEER_REVIEW_COLOURS, *sorted({r for c in by_kind.values() for r in c}
                                           - set(PEER_REVIEW_COLOURS))]
    colour = {r: PEER_REVIEW_COLOURS.get(r, "#6b7280") for r in order}
    rows = [Row(words(KIND_WORDS, kind), tuple(
        Segment(words(PEER_REVIEW_WORDS, r), counts.get(r, 0), colour[r]) for r in order))
        for kind, counts in sorted(by_kind.items(), key=lambda kv: (-sum(kv[1].values()),
                                                                     kv[0]))]
    totals = {r: sum(c.get(r, 0) for c in by_kind.values()) for r in order}
    legend = [Segment(words(PEER_REVIEW_WORDS, r), totals[r], colour[r]) for r in order
              if totals[r]]
    return bar_rows("chart-kinds", _("Kinds of work, by peer-review status"), rows, legend)


def evidence_chart(designs: dict[str, int], levels: dict[str, int],
                   ocebm: dict[str, int | None]) -> str:
    """One bar per design label, coloured by its OCEBM 2011 level (darker = higher evidence);
    `ocebm` maps a design to its level."""
    def named(level: str) -> str:
        return (_("no evidence level") if level == NO_LEVEL
                else _("evidence level {level}").format(level=level))

    rows, seen = [], {}
    for design, n in designs.items():
        level = str(ocebm.get(design) or NO_LEVEL)
        seen[level] = seen.get(level, 0) + n
        suffix = f" · {named(level)}" if level != NO_LEVEL else ""
        rows.append(Row(words(DESIGN_WORDS, design) + suffix,
                        (Segment(named(level), n, LEVEL_COLOURS.get(level, "#6b7280")),)))
    legend = [Segment(named(lv), n, LEVEL_COLOURS.get(lv, "#6b7280"))
              for lv, n in (levels or seen).items()]
    return bar_rows("chart-evidence", _("Study designs and OCEBM levels"), rows, legend,
                    label_width=250)


# ---- page assets: the one stylesheet, the few lines of script, the reading guide ------------

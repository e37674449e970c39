"""A danger/goal pair's scale as a line chart: one line per participant, server-rendered SVG,
no script, the same markup on a page and in a PDF.

Lines differ by dash pattern and marker shape as well as by colour (never colour alone), and
the legend names each line in text. The chart is an image (``role="img"``) with a ``<title>``
and a ``<desc>`` that says every score in words; each point has its own ``<title>``. Colours
are presentation attributes, never ``style=`` (CSP).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from traad.safety.selectors.maps import ScaleSeries

WIDTH = 520
LEFT, RIGHT, TOP = 40, 24, 12
PLOT_BOTTOM = 192  # y of score 0
DATE_LABEL_Y = PLOT_BOTTOM + 18
LEGEND_TOP = PLOT_BOTTOM + 40
LEGEND_ROW = 20
MAX_SCORE = 10
MAX_DATE_LABELS = 6

COLOURS = ("#0059b3", "#b35900", "#006300", "#7a2ab3", "#b30047", "#005e5e", "#545454", "#8a6d00")
DASHES = ("", "6 4", "2 3", "10 3 2 3", "1 4", "12 4", "4 2 1 2", "8 2 2 2 2 2")
MARKERS = (
    "circle",
    "square",
    "triangle",
    "diamond",
    "triangle-down",
    "cross",
    "plus",
    "ring",
)


def _short_date(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def y_for(score: int) -> float:
    return TOP + (PLOT_BOTTOM - TOP) * (MAX_SCORE - score) / MAX_SCORE


def x_for(day: dt.date, first: dt.date, last: dt.date) -> float:
    """Placed by date so the gaps between ratings show; a single date sits in the middle."""
    plot = WIDTH - LEFT - RIGHT
    span = (last - first).days
    if span == 0:
        return LEFT + plot / 2
    return LEFT + plot * (day - first).days / span


def _n(value: float) -> str:
    return f"{value:.1f}"


def _marker(
    kind: str, x: float, y: float, colour: str, tooltip: str, attrs: SafeString
) -> SafeString:
    """A marker of one of the shapes in ``MARKERS``, centred on (x, y)."""
    title = format_html("<title>{}</title>", tooltip)
    if kind in ("circle", "ring"):
        fill = "#ffffff" if kind == "ring" else colour
        return format_html(
            '<circle {} cx="{}" cy="{}" r="4" fill="{}" stroke="{}" stroke-width="2">{}</circle>',
            attrs,
            _n(x),
            _n(y),
            fill,
            colour,
            title,
        )
    if kind == "square":
        return format_html(
            '<rect {} x="{}" y="{}" width="8" height="8" fill="{}">{}</rect>',
            attrs,
            _n(x - 4),
            _n(y - 4),
            colour,
            title,
        )
    if kind in ("cross", "plus"):
        r = 4 if kind == "cross" else 5
        if kind == "cross":
            strokes = ((-r, -r, r, r), (-r, r, r, -r))
        else:
            strokes = ((-r, 0, r, 0), (0, -r, 0, r))
        d = "".join(
            f"M{_n(x + x1)} {_n(y + y1)}L{_n(x + x2)} {_n(y + y2)}" for x1, y1, x2, y2 in strokes
        )
        return format_html(
            '<path {} d="{}" stroke="{}" stroke-width="2.5" fill="none">{}</path>',
            attrs,
            d,
            colour,
            title,
        )
    offsets = {
        "triangle": ((0, -5), (5, 4), (-5, 4)),
        "triangle-down": ((0, 5), (5, -4), (-5, -4)),
        "diamond": ((0, -5), (5, 0), (0, 5), (-5, 0)),
    }[kind]
    points = " ".join(f"{_n(x + dx)},{_n(y + dy)}" for dx, dy in offsets)
    return format_html(
        '<polygon {} points="{}" fill="{}">{}</polygon>', attrs, points, colour, title
    )


def chart_height(series_count: int) -> int:
    return LEGEND_TOP + LEGEND_ROW * series_count


def scale_chart(
    history: Sequence[ScaleSeries], *, chart_id: str = "scale-chart", title: str = ""
) -> SafeString:
    """An accessible SVG chart of a pair's scale history (``scale_history``): one line per
    participant on the 0–10 scale. ``chart_id`` makes the ids unique on the page."""
    series = [s for s in history if s.points]
    if not series:
        return mark_safe("")  # noqa: S308 - nothing to show; the page says "not scaled yet"
    title = title or _("Scale from 0 to 10 per participant over time")
    days = sorted({day for s in series for day, _score in s.points})
    first, last = days[0], days[-1]
    height = chart_height(len(series))
    described = " ".join(
        _("%(who)s: %(scores)s.")
        % {
            "who": s.label,
            "scores": "; ".join(f"{_short_date(day)}: {score}" for day, score in s.points),
        }
        for s in series
    )
    desc = _("Scores from 0 to 10 over time, oldest first. %(scores)s") % {"scores": described}
    grid = format_html_join(
        "",
        '<line class="traad-chart-grid" x1="{}" x2="{}" y1="{}" y2="{}" stroke="#dcdcdc" '
        'stroke-width="1"/><text class="traad-chart-label" x="{}" y="{}" text-anchor="end" '
        'font-size="11" fill="#545454">{}</text>',
        (
            (LEFT, WIDTH - RIGHT, _n(y_for(s)), _n(y_for(s)), LEFT - 6, _n(y_for(s) + 4), s)
            for s in range(0, MAX_SCORE + 1, 2)
        ),
    )
    labelled = days if len(days) <= MAX_DATE_LABELS else [first, last]
    dates = format_html_join(
        "",
        '<text class="traad-chart-label" x="{}" y="{}" text-anchor="{}" font-size="11" '
        'fill="#545454">{}</text>',
        (
            # The first and last labels hug the plot's edges so they are not cut off.
            (
                _n(x_for(day, first, last)),
                DATE_LABEL_Y,
                "start" if day == first and day != last else "end" if day == last else "middle",
                _short_date(day),
            )
            for day in labelled
        ),
    )
    lines = []
    legend = []
    for index, s in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        dash = DASHES[index % len(DASHES)]
        marker = MARKERS[index % len(MARKERS)]
        dash_attr = format_html(' stroke-dasharray="{}"', dash) if dash else ""
        coords = [(x_for(day, first, last), y_for(score), day, score) for day, score in s.points]
        line = (
            format_html(
                '<polyline class="traad-chart-line" points="{}" fill="none" stroke="{}" '
                'stroke-width="2"{}/>',
                " ".join(f"{_n(x)},{_n(y)}" for x, y, _d, _s in coords),
                colour,
                dash_attr,
            )
            if len(coords) > 1
            else ""
        )
        markers = mark_safe(  # noqa: S308 - joins markup escaped by format_html
            "".join(
                _marker(
                    marker,
                    x,
                    y,
                    colour,
                    _("%(who)s, %(date)s: %(score)s of 10")
                    % {"who": s.label, "date": _short_date(day), "score": score},
                    format_html(
                        'class="traad-chart-point" data-date="{}" data-score="{}"',
                        day.isoformat(),
                        score,
                    ),
                )
                for x, y, day, score in coords
            )
        )
        lines.append(
            format_html(
                '<g class="traad-chart-series" data-series="{}">{}{}</g>', s.label, line, markers
            )
        )
        row_y = LEGEND_TOP + LEGEND_ROW * index + 6
        legend.append(
            format_html(
                '<g class="traad-chart-legend-entry">'
                '<line x1="{x1}" x2="{x2}" y1="{y}" y2="{y}" stroke="{c}" stroke-width="2"{dash}/>'
                '{marker}<text class="traad-chart-legend" x="{tx}" y="{ty}" font-size="12" '
                'fill="#1a1a1a">{label}</text></g>',
                x1=LEFT,
                x2=LEFT + 36,
                y=row_y,
                c=colour,
                dash=dash_attr,
                marker=_marker(
                    marker,
                    LEFT + 18,
                    row_y,
                    colour,
                    s.label,
                    mark_safe('class="traad-chart-legend-marker"'),  # noqa: S308 - a constant
                ),
                tx=LEFT + 46,
                ty=row_y + 4,
                label=s.label,
            )
        )
    return format_html(
        '<svg class="traad-chart traad-scale-chart" role="img" viewBox="0 0 {w} {h}" '
        'width="{w}" height="{h}" xmlns="http://www.w3.org/2000/svg" '
        'aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<g aria-hidden="true">{grid}'
        '<line class="traad-chart-axis" x1="{left}" x2="{left}" y1="{top}" y2="{bottom}" '
        'stroke="#545454" stroke-width="1"/>{dates}{lines}</g>'
        '<g class="traad-chart-legend-box">{legend}</g></svg>',
        w=WIDTH,
        h=height,
        id=chart_id,
        title=title,
        desc=desc,
        grid=grid,
        left=LEFT,
        top=TOP,
        bottom=PLOT_BOTTOM,
        dates=dates,
        lines=mark_safe("".join(lines)),  # noqa: S308 - joins markup escaped by format_html
        legend=mark_safe("".join(legend)),  # noqa: S308 - joins markup escaped by format_html
    )

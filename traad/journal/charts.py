"""A goal's ratings as a small line chart: server-rendered SVG, no script, readable without it.

The chart is an image (``role="img"``) with a ``<title>`` and a ``<desc>`` that says every
score in words, and each point has its own ``<title>`` (a tooltip). The table of ratings
beside it on the page carries the same data for anyone who cannot see the chart. Colours are
presentation attributes (and classes in traad.css), never ``style=`` (CSP).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from traad.journal.models import GoalRating

WIDTH, HEIGHT = 480, 200
LEFT, RIGHT, TOP, BOTTOM = 40, 40, 12, 36
MAX_SCORE = 10
# With more points than this, only the first and the last date are written under the axis.
MAX_DATE_LABELS = 6


def _short_date(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _y(score: int) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (MAX_SCORE - score) / MAX_SCORE


def _xs(ratings: Sequence[GoalRating]) -> list[float]:
    """Points placed by date, so the gaps between ratings show; ratings on one day (or a
    single rating) are spread evenly instead."""
    plot = WIDTH - LEFT - RIGHT
    first, last = ratings[0].rated_on, ratings[-1].rated_on
    span = (last - first).days
    if len(ratings) == 1:
        return [LEFT + plot / 2]
    if span == 0:
        return [LEFT + plot * i / (len(ratings) - 1) for i in range(len(ratings))]
    return [LEFT + plot * (r.rated_on - first).days / span for r in ratings]


def rating_chart(ratings: Sequence[GoalRating], *, chart_id: str, title: str) -> SafeString:
    """An accessible SVG line chart of ``ratings`` (oldest first) on the 0–10 scale.
    ``chart_id`` makes the ids of the title and description unique on the page."""
    if not ratings:
        return mark_safe("")  # noqa: S308 - nothing to show; the page says "not rated yet"
    xs = _xs(ratings)
    points = [(x, _y(r.score), r) for x, r in zip(xs, ratings, strict=True)]
    described = "; ".join(f"{_short_date(r.rated_on)}: {r.score}" for r in ratings)
    desc = _("Scores from 0 to 10 over time, oldest first: %(scores)s.") % {"scores": described}
    grid = format_html_join(
        "",
        '<line class="traad-chart-grid" x1="{}" x2="{}" y1="{}" y2="{}" stroke="#dcdcdc" '
        'stroke-width="1"/><text class="traad-chart-label" x="{}" y="{}" text-anchor="end" '
        'font-size="11" fill="#545454">{}</text>',
        (
            (LEFT, WIDTH - RIGHT, _y(s), _y(s), LEFT - 6, f"{_y(s) + 4:.1f}", s)
            for s in range(0, MAX_SCORE + 1, 2)
        ),
    )
    labelled = range(len(points)) if len(points) <= MAX_DATE_LABELS else (0, len(points) - 1)
    dates = format_html_join(
        "",
        '<text class="traad-chart-label" x="{}" y="{}" text-anchor="middle" font-size="11" '
        'fill="#545454">{}</text>',
        (
            (f"{points[i][0]:.1f}", HEIGHT - BOTTOM + 16, _short_date(points[i][2].rated_on))
            for i in labelled
        ),
    )
    line = (
        format_html(
            '<polyline class="traad-chart-line" points="{}" fill="none" stroke="#0059b3" '
            'stroke-width="2"/>',
            " ".join(f"{x:.1f},{y:.1f}" for x, y, _r in points),
        )
        if len(points) > 1
        else ""
    )
    dots = format_html_join(
        "",
        '<circle class="traad-chart-point" cx="{}" cy="{}" r="4" fill="#0059b3">'
        "<title>{}</title></circle>",
        (
            (
                f"{x:.1f}",
                f"{y:.1f}",
                _("%(date)s: %(score)s of 10")
                % {"date": _short_date(r.rated_on), "score": r.score},
            )
            for x, y, r in points
        ),
    )
    return format_html(
        '<svg class="traad-chart" role="img" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'xmlns="http://www.w3.org/2000/svg" aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<g aria-hidden="true">{grid}'
        '<line class="traad-chart-axis" x1="{left}" x2="{left}" y1="{top}" y2="{bottom}" '
        'stroke="#545454" stroke-width="1"/>{dates}{line}{dots}</g></svg>',
        w=WIDTH,
        h=HEIGHT,
        id=chart_id,
        title=title,
        desc=desc,
        grid=grid,
        left=LEFT,
        top=TOP,
        bottom=_y(0),
        dates=dates,
        line=line,
        dots=dots,
    )

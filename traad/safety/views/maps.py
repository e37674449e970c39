"""Screens of Signs of Safety: the case's current map, the follow-up meetings (each with its
own version of the map, edited with small forms on the latest meeting), comparing two
meetings, the scale per danger/goal pair, and the child's Three Houses.

Thin on purpose: find the case (404 for anyone who may not see it, and for those who see the
case but not its safety work), check the permission (403 when they may read but not write),
call one service or selector, then render or redirect. A service's ValidationError is shown on
the form that was posted, with what was typed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from traad.audit.services import record_event
from traad.cases.models import Case
from traad.cases.selectors import get_case_for, visible_to
from traad.cases.views import AuthenticatedRequest, add_service_errors
from traad.safety.charts import scale_chart
from traad.safety.forms_maps import (
    DangerPairForm,
    DecisionsForm,
    MapItemForm,
    MeetingForm,
    ScaleForm,
    ThreeHousesForm,
)
from traad.safety.models import DangerPair, FollowUpMeeting, MapItem, MapPart
from traad.safety.selectors.maps import (
    SafetyMap,
    ScaleSeries,
    compare_meetings,
    is_latest,
    latest_meeting,
    map_of,
    meetings_of,
    ratings_of,
    scale_histories,
    three_houses_by_child,
)
from traad.safety.services import maps as services

# --- Access ---------------------------------------------------------------------------------


def _check(request: AuthenticatedRequest, case: Case, perm: str | None) -> None:
    if not request.user.has_perm("safety.read", case):
        raise Http404
    if perm is not None and not request.user.has_perm(perm, case):
        raise PermissionDenied


def safety_case_for(request: AuthenticatedRequest, case_id: int, perm: str | None = None) -> Case:
    """The case if the user may read its safety work, else 404 (the same answer as for a case
    that does not exist); 403 if they may read it but lack ``perm``."""
    case = get_case_for(request.user, case_id)
    _check(request, case, perm)
    return case


def _meeting_for(
    request: AuthenticatedRequest, meeting_id: int, perm: str | None = None
) -> FollowUpMeeting:
    meeting = (
        FollowUpMeeting.objects.select_related("case__team", "case__coordinator")
        .filter(pk=meeting_id, case__in=visible_to(request.user))
        .first()
    )
    if meeting is None:
        raise Http404
    _check(request, meeting.case, perm)
    return meeting


def _item_for(request: AuthenticatedRequest, item_id: int, perm: str) -> MapItem:
    item = (
        MapItem.objects.select_related("meeting__case", "owner")
        .filter(pk=item_id, meeting__case__in=visible_to(request.user))
        .first()
    )
    if item is None:
        raise Http404
    _check(request, item.meeting.case, perm)
    return item


def _pair_for(request: AuthenticatedRequest, pair_id: int, perm: str) -> DangerPair:
    pair = (
        DangerPair.objects.select_related("meeting__case")
        .filter(pk=pair_id, meeting__case__in=visible_to(request.user))
        .first()
    )
    if pair is None:
        raise Http404
    _check(request, pair.meeting.case, perm)
    return pair


# --- Presentation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PairRow:
    number: int
    pair: DangerPair
    history: list[ScaleSeries]
    chart: SafeString
    form: ScaleForm | None


def _pair_rows(
    request: AuthenticatedRequest,
    safety_map: SafetyMap,
    *,
    with_forms: bool = False,
    bound: ScaleForm | None = None,
) -> list[PairRow]:
    meeting = safety_map.meeting
    histories = scale_histories(meeting.case, [pair.thread for pair in safety_map.pairs])
    rows = []
    for number, pair in enumerate(safety_map.pairs, start=1):
        history = histories[pair.thread]
        title = _("Scale of danger statement %(number)s") % {"number": number}
        form = None
        if with_forms:
            if bound is not None and bound.prefix == f"scale-{pair.thread}":
                form = bound
            else:
                form = ScaleForm(user=request.user, thread=pair.thread, rated_on=meeting.held_on)
        rows.append(
            PairRow(
                number=number,
                pair=pair,
                history=history,
                chart=scale_chart(history, chart_id=f"pair-{pair.pk}-chart", title=title),
                form=form,
            )
        )
    return rows


def _meeting_context(
    request: AuthenticatedRequest,
    meeting: FollowUpMeeting,
    *,
    failed: BaseForm | None = None,
) -> dict[str, Any]:
    case = meeting.case
    safety_map = map_of(meeting)
    writable = request.user.has_perm("safety.write", case)
    editable = writable and is_latest(meeting)
    item_forms: dict[str, MapItemForm] = {}
    pair_form = DangerPairForm()
    decisions_form = DecisionsForm(meeting=meeting)
    scale_bound = None
    if editable:
        for part in MapPart.values:
            item_forms[part] = MapItemForm(case=case, part=part)
        if isinstance(failed, MapItemForm):
            item_forms[failed.part] = failed
        if isinstance(failed, DangerPairForm):
            pair_form = failed
        if isinstance(failed, DecisionsForm):
            decisions_form = failed
        if isinstance(failed, ScaleForm):
            scale_bound = failed
    return {
        "case": case,
        "meeting": meeting,
        "map": safety_map,
        "pair_rows": _pair_rows(request, safety_map, with_forms=editable, bound=scale_bound),
        "writable": writable,
        "editable": editable,
        "item_forms": item_forms,
        "pair_form": pair_form,
        "decisions_form": decisions_form,
        "page_errors": failed.non_field_errors() if failed is not None else [],
        "goals_affected": list(meeting.goals_affected.all()),
        "today": timezone.localdate(),
    }


def _detail(
    request: AuthenticatedRequest, meeting: FollowUpMeeting, failed: BaseForm
) -> HttpResponse:
    """The meeting page again, with the refused form as it was posted."""
    return render(
        request, "safety/meeting_detail.html", _meeting_context(request, meeting, failed=failed)
    )


def _to_meeting(meeting_id: int, anchor: str = "") -> HttpResponse:
    url = reverse("safety:meeting_detail", args=[meeting_id])
    return redirect(f"{url}#{anchor}" if anchor else url)


# --- The map and the meetings ---------------------------------------------------------------


@require_GET
def case_map(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    """The case's current map: the map of its latest follow-up meeting."""
    case = safety_case_for(request, case_id)
    meeting = latest_meeting(case)
    safety_map = map_of(meeting) if meeting else None
    record_event(actor=request.user, action="sos.viewed", obj=case, case_id=case.pk)
    return render(
        request,
        "safety/map_current.html",
        {
            "case": case,
            "meeting": meeting,
            "map": safety_map,
            "pair_rows": _pair_rows(request, safety_map) if safety_map else [],
            "writable": request.user.has_perm("safety.write", case),
            "meeting_form": MeetingForm(),
            "today": timezone.localdate(),
        },
    )


@require_GET
def meeting_list(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    case = safety_case_for(request, case_id)
    record_event(actor=request.user, action="sos.meetings_viewed", obj=case, case_id=case.pk)
    return render(
        request,
        "safety/meeting_list.html",
        {
            "case": case,
            "meetings": meetings_of(case),
            "writable": request.user.has_perm("safety.write", case),
            "meeting_form": MeetingForm(),
        },
    )


@require_POST
def meeting_new(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    """Start a follow-up meeting: its map starts as the previous meeting's map."""
    case = safety_case_for(request, case_id, "safety.write")
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            meeting = services.start_meeting(case, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The follow-up meeting has been started."))
            return _to_meeting(meeting.pk)
    return render(
        request,
        "safety/meeting_list.html",
        {"case": case, "meetings": meetings_of(case), "writable": True, "meeting_form": form},
    )


@require_GET
def meeting_detail(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_for(request, meeting_id)
    record_event(
        actor=request.user, action="sos.meeting_viewed", obj=meeting, case_id=meeting.case_id
    )
    return render(request, "safety/meeting_detail.html", _meeting_context(request, meeting))


@require_POST
def meeting_decisions(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_for(request, meeting_id, "safety.write")
    form = DecisionsForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            services.record_decisions(meeting, by=request.user, **form.decision_values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The decisions have been saved."))
            return _to_meeting(meeting.pk, "decisions")
    return _detail(request, meeting, form)


# --- Editing the map ------------------------------------------------------------------------


@require_POST
def item_add(request: AuthenticatedRequest, meeting_id: int, part: str) -> HttpResponse:
    meeting = _meeting_for(request, meeting_id, "safety.write")
    if part not in MapPart.values:
        raise Http404
    form = MapItemForm(request.POST, case=meeting.case, part=part)
    if form.is_valid():
        try:
            services.add_map_item(meeting, by=request.user, part=part, **form.item_values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _to_meeting(meeting.pk, f"part-{part}")
    return _detail(request, meeting, form)


@require_http_methods(["GET", "POST"])
def item_edit(request: AuthenticatedRequest, item_id: int) -> HttpResponse:
    item = _item_for(request, item_id, "safety.write")
    meeting = item.meeting
    form = MapItemForm(
        request.POST if request.method == "POST" else None,
        case=meeting.case,
        part=item.part,
        item=item,
    )
    if form.is_bound and form.is_valid():
        try:
            services.update_map_item(item, by=request.user, **form.item_values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The map has been saved."))
            return _to_meeting(meeting.pk, f"part-{item.part}")
    return render(
        request,
        "safety/map_item_form.html",
        {"case": meeting.case, "meeting": meeting, "item": item, "form": form},
    )


@require_POST
def item_remove(request: AuthenticatedRequest, item_id: int) -> HttpResponse:
    item = _item_for(request, item_id, "safety.write")
    meeting = item.meeting
    try:
        services.remove_map_item(item, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _to_meeting(meeting.pk, f"part-{item.part}")


@require_POST
def next_step_done(request: AuthenticatedRequest, item_id: int) -> HttpResponse:
    item = _item_for(request, item_id, "safety.write")
    try:
        services.complete_next_step(item, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The next step is marked as done."))
    return _to_meeting(item.meeting_id, f"part-{MapPart.NEXT_STEP}")


@require_POST
def pair_add(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_for(request, meeting_id, "safety.write")
    form = DangerPairForm(request.POST)
    if form.is_valid():
        try:
            services.add_danger_pair(meeting, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _to_meeting(meeting.pk, "pairs")
    return _detail(request, meeting, form)


@require_http_methods(["GET", "POST"])
def pair_edit(request: AuthenticatedRequest, pair_id: int) -> HttpResponse:
    pair = _pair_for(request, pair_id, "safety.write")
    meeting = pair.meeting
    form = DangerPairForm(request.POST if request.method == "POST" else None, pair=pair)
    if form.is_bound and form.is_valid():
        try:
            services.update_danger_pair(pair, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The map has been saved."))
            return _to_meeting(meeting.pk, "pairs")
    return render(
        request,
        "safety/map_pair_form.html",
        {"case": meeting.case, "meeting": meeting, "pair": pair, "form": form},
    )


@require_POST
def pair_remove(request: AuthenticatedRequest, pair_id: int) -> HttpResponse:
    pair = _pair_for(request, pair_id, "safety.write")
    meeting_id = pair.meeting_id
    try:
        services.remove_danger_pair(pair, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _to_meeting(meeting_id, "pairs")


# --- Scales ---------------------------------------------------------------------------------


@require_POST
def scale_rate(request: AuthenticatedRequest, meeting_id: int) -> HttpResponse:
    """One participant's score on one pair, given at the meeting."""
    meeting = _meeting_for(request, meeting_id, "safety.write")
    thread = request.POST.get("pair", "")
    form = ScaleForm(request.POST, user=request.user, thread=thread)
    if form.is_valid():
        try:
            services.rate_pair(
                meeting.case,
                by=request.user,
                meeting=meeting,
                thread=thread,
                **form.rating_values(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The score has been saved."))
            return _to_meeting(meeting.pk, "pairs")
    return _detail(request, meeting, form)


@require_GET
def scale_detail(request: AuthenticatedRequest, case_id: int, thread: uuid.UUID) -> HttpResponse:
    """A pair's scale over time: the chart and every score with its reasons."""
    case = safety_case_for(request, case_id)
    pair = (
        DangerPair.objects.filter(meeting__case=case, thread=thread)
        .order_by("-meeting__held_on", "-meeting_id")
        .first()
    )
    if pair is None:
        raise Http404
    history = scale_histories(case, [thread])[thread]
    record_event(
        actor=request.user,
        action="sos.scale_viewed",
        obj=case,
        case_id=case.pk,
        changes={"thread": str(thread)},
    )
    return render(
        request,
        "safety/scale_detail.html",
        {
            "case": case,
            "pair": pair,
            "chart": scale_chart(history, chart_id="scale-chart"),
            "ratings": ratings_of(case, thread).select_related("meeting", "created_by"),
        },
    )


# --- Comparing two meetings -----------------------------------------------------------------


def _meeting_param(request: AuthenticatedRequest, case: Case, name: str) -> FollowUpMeeting:
    try:
        return FollowUpMeeting.objects.get(case=case, pk=int(request.GET[name]))
    except (FollowUpMeeting.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


@require_GET
def meeting_compare(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    """How the map changed from one meeting to another (default: the latest two)."""
    case = safety_case_for(request, case_id)
    meetings = list(meetings_of(case))
    older: FollowUpMeeting | None
    newer: FollowUpMeeting | None
    if "a" in request.GET and "b" in request.GET:
        older, newer = _meeting_param(request, case, "a"), _meeting_param(request, case, "b")
    elif len(meetings) >= 2:
        newer, older = meetings[0], meetings[1]
    else:
        older = newer = None
    comparison = None
    if older is not None and newer is not None:
        comparison = compare_meetings(older, newer)
        record_event(
            actor=request.user,
            action="sos.compared",
            obj=case,
            case_id=case.pk,
            changes={"older": comparison.older.pk, "newer": comparison.newer.pk},
        )
    return render(
        request,
        "safety/meeting_compare.html",
        {"case": case, "meetings": meetings, "comparison": comparison},
    )


# --- The child's voice ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def three_houses(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    case = safety_case_for(request, case_id, "safety.write" if request.method == "POST" else None)
    writable = request.user.has_perm("safety.write", case)
    form = ThreeHousesForm(request.POST if request.method == "POST" else None, case=case)
    if form.is_bound and form.is_valid():
        try:
            services.record_three_houses(case, by=request.user, **form.house_values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The child's Three Houses have been saved."))
            return redirect("safety:houses", case.pk)
    if request.method == "GET":
        record_event(
            actor=request.user, action="sos.three_houses_viewed", obj=case, case_id=case.pk
        )
    return render(
        request,
        "safety/houses_page.html",
        {
            "case": case,
            "children": three_houses_by_child(case),
            "writable": writable,
            "form": form,
        },
    )


urlpatterns = [
    path("sager/<int:case_id>/tegning/", case_map, name="case_map"),
    path("sager/<int:case_id>/opfoelgningsmoeder/", meeting_list, name="meeting_list"),
    path("sager/<int:case_id>/opfoelgningsmoeder/nyt/", meeting_new, name="meeting_new"),
    path(
        "sager/<int:case_id>/opfoelgningsmoeder/sammenlign/",
        meeting_compare,
        name="meeting_compare",
    ),
    path("sager/<int:case_id>/skalering/<uuid:thread>/", scale_detail, name="scale_detail"),
    path("sager/<int:case_id>/tre-huse/", three_houses, name="houses"),
    path("opfoelgningsmoeder/<int:meeting_id>/", meeting_detail, name="meeting_detail"),
    path(
        "opfoelgningsmoeder/<int:meeting_id>/beslutninger/",
        meeting_decisions,
        name="meeting_decisions",
    ),
    path("opfoelgningsmoeder/<int:meeting_id>/punkt/<str:part>/", item_add, name="item_add"),
    path("opfoelgningsmoeder/<int:meeting_id>/par/", pair_add, name="pair_add"),
    path("opfoelgningsmoeder/<int:meeting_id>/skalering/", scale_rate, name="scale_rate"),
    path("tegning/punkter/<int:item_id>/", item_edit, name="item_edit"),
    path("tegning/punkter/<int:item_id>/fjern/", item_remove, name="item_remove"),
    path("tegning/punkter/<int:item_id>/udfoert/", next_step_done, name="next_step_done"),
    path("tegning/par/<int:pair_id>/", pair_edit, name="pair_edit"),
    path("tegning/par/<int:pair_id>/fjern/", pair_remove, name="pair_remove"),
]

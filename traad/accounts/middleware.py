"""Session rules for every request: idle sessions end, and MFA comes before any data."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from traad.accounts.selectors import has_second_factor

LAST_SEEN_KEY = "traad_last_seen"
MFA_OK_KEY = "traad_mfa_ok"
# Writing the session on every request costs a database write; once a minute is enough.
LAST_SEEN_RESOLUTION = 60


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            last_seen = request.session.get(LAST_SEEN_KEY)
            idle = settings.TRAAD_SESSION_IDLE_MINUTES * 60
            if last_seen is not None and now - last_seen > idle:
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after %(minutes)d minutes without activity.")
                    % {"minutes": settings.TRAAD_SESSION_IDLE_MINUTES},
                )
                login_url = reverse("account_login")
                if request.method == "GET" and not request.headers.get("HX-Request"):
                    login_url += "?" + urlencode({"next": request.get_full_path()})
                return _redirect(request, login_url)
            if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


# Pages a signed-in user without MFA may still use: enrolment itself, and signing out.
MFA_EXEMPT_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/accounts/reauthenticate/",
    "/accounts/password/change/",
    "/i18n/",
    "/healthz",
    "/static/",
)


class RequireMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.TRAAD_REQUIRE_MFA
            and request.user.is_authenticated
            and not request.session.get(MFA_OK_KEY)
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
        ):
            if not has_second_factor(request.user):
                messages.warning(
                    request,
                    _(
                        "Tråd holds sensitive data about children and families. Set up "
                        "two-factor authentication before you continue."
                    ),
                )
                return _redirect(request, reverse("mfa_index"))
            request.session[MFA_OK_KEY] = True
        return self.get_response(request)

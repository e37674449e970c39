from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: CSP, Permissions-Policy, no-store."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.TRAAD_CSP)
        response.setdefault("Permissions-Policy", settings.TRAAD_PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Pages about children must not linger in shared browser caches.
            response.setdefault("Cache-Control", "no-store")
        return response


class LanguageMiddleware(LocaleMiddleware):
    """Danish unless the person chose another language with the switch (a cookie).

    The browser's Accept-Language is ignored on purpose: staff and caseworkers work in Danish,
    and an English-language browser should not turn a Danish workplace English.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from traad.core.navigation import navigation_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    items = []
    for item in navigation_for(user):
        url = reverse(item.url_name)
        current = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"url": url, "label": item.label, "current": current})
    return {"nav_items": items}

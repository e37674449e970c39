"""The caseworker portal (/portal/…) and the provider's side of it on the case (/sager/…)."""

from traad.portal.views import caseworker, staff

app_name = "portal"
urlpatterns = [*caseworker.urlpatterns, *staff.urlpatterns]

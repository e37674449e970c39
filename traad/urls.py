from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from traad.core import views as core_views

admin.site.site_header = "Tråd"
admin.site.site_title = "Tråd"

core_patterns = ([path("", core_views.start, name="start")], "core")

urlpatterns = [
    path("", include(core_patterns)),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # Email addresses are the login identity and are managed by an administrator.
    path("accounts/email/", core_views.not_found, name="account_email"),
    path("accounts/", include("allauth.urls")),
    # /sager/ (cases) and /henvendelser/ (referrals): one "cases" namespace.
    path("", include("traad.cases.urls")),
    path("", include("traad.journal.urls")),
    path("", include("traad.safety.urls")),
    path("", include("traad.reports.urls")),
    path("", include("traad.portal.urls")),
    path("revisionslog/", include("traad.audit.urls")),
    path("admin/", admin.site.urls),
]

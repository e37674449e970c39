"""The reports app's pages; each views module lists its own ``urlpatterns``."""

from traad.reports.views import documents, interval, overview, reports

app_name = "reports"
urlpatterns = [
    *interval.urlpatterns,
    *reports.urlpatterns,
    *documents.urlpatterns,
    *overview.urlpatterns,
]

from django.urls import path

from traad.journal.views import entries, goals, visitation

app_name = "journal"
urlpatterns = [
    # The visit journal
    path("sager/<int:case_id>/journal/", entries.case_journal, name="case_journal"),
    path("sager/<int:case_id>/journal/ny/", entries.entry_new, name="entry_new"),
    path("journal/<int:entry_id>/", entries.entry_detail, name="entry_detail"),
    path("journal/<int:entry_id>/rediger/", entries.entry_edit, name="entry_edit"),
    path("journal/<int:entry_id>/autosave/", entries.entry_autosave, name="entry_autosave"),
    path("journal/<int:entry_id>/underskriv/", entries.entry_sign, name="entry_sign"),
    path("journal/<int:entry_id>/kasser/", entries.entry_discard, name="entry_discard"),
    path("journal/<int:entry_id>/tilfoejelse/", entries.entry_amend, name="entry_amend"),
    path("journal/soeg/", entries.journal_search, name="search"),
    # Goals
    path("sager/<int:case_id>/maal/", goals.case_goals, name="case_goals"),
    path("sager/<int:case_id>/maal/nyt/", goals.goal_new, name="goal_new"),
    path("maal/<int:goal_id>/", goals.goal_detail, name="goal_detail"),
    path("maal/<int:goal_id>/rediger/", goals.goal_edit, name="goal_edit"),
    path("maal/<int:goal_id>/skaler/", goals.goal_rate, name="goal_rate"),
    path("maal/<int:goal_id>/status/", goals.goal_status, name="goal_status"),
    # Samvær
    path("sager/<int:case_id>/samvaer/", visitation.case_sessions, name="case_sessions"),
    path("sager/<int:case_id>/samvaer/planlaeg/", visitation.session_plan, name="session_plan"),
    path(
        "sager/<int:case_id>/samvaer/levering/", visitation.report_delivery, name="report_delivery"
    ),
    path("sager/<int:case_id>/samvaer/pdf/", visitation.sessions_pdf, name="sessions_pdf"),
    path("samvaer/<int:session_id>/", visitation.session_detail, name="session_detail"),
    path("samvaer/<int:session_id>/beskrivelse/", visitation.session_report, name="session_report"),
    path("samvaer/<int:session_id>/underskriv/", visitation.session_sign, name="session_sign"),
    path("samvaer/<int:session_id>/tilfoejelse/", visitation.session_amend, name="session_amend"),
    path("samvaer/<int:session_id>/pdf/", visitation.session_pdf, name="session_pdf"),
]

"""Referrals live under /henvendelser/, cases under /sager/; both in the one "cases" namespace
(included at the root by traad/urls.py)."""

from django.urls import path

from traad.cases import views

app_name = "cases"
urlpatterns = [
    # Referrals (henvendelser)
    path("henvendelser/", views.intake_queue, name="queue"),
    path("henvendelser/ny/", views.referral_new, name="referral_new"),
    path("henvendelser/sagsbehandlere/", views.caseworker_options, name="caseworker_options"),
    # Cases (sager)
    path("sager/", views.case_list, name="list"),
    path("sager/<int:case_id>/", views.case_detail, name="detail"),
    path("sager/<int:case_id>/henvendelse/", views.referral_edit, name="referral_edit"),
    path("sager/<int:case_id>/tildel/", views.case_assign, name="assign"),
    path("sager/<int:case_id>/personer/", views.person_add, name="person_add"),
    path(
        "sager/<int:case_id>/personer/<int:membership_id>/fjern/",
        views.person_remove,
        name="person_remove",
    ),
    path("sager/<int:case_id>/personer/<int:person_id>/cpr/", views.cpr_reveal, name="cpr_reveal"),
    path("sager/<int:case_id>/netvaerk/", views.network_add, name="network_add"),
    path("sager/<int:case_id>/kontakter/", views.contact_add, name="contact_add"),
    path("sager/<int:case_id>/foerste-kontakt/", views.first_contact, name="first_contact"),
    path("sager/<int:case_id>/pause/", views.case_pause, name="pause"),
    path("sager/<int:case_id>/genoptag/", views.case_resume, name="resume"),
    path("sager/<int:case_id>/afslut/", views.case_end, name="end"),
    path("sager/<int:case_id>/bevilling/", views.order_change, name="order_change"),
]

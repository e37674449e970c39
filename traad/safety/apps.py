from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "traad.safety"
    label = "safety"
    verbose_name = _("Signs of Safety, concern and notifications")

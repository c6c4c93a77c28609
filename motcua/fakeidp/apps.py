from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FakeIdpConfig(AppConfig):
    name = "motcua.fakeidp"
    verbose_name = _("Fake identity provider (development)")

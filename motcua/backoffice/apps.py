from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "motcua.backoffice"
    verbose_name = _("Back office")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .session_activity import stamp_sign_in

        user_logged_in.connect(stamp_sign_in, dispatch_uid="motcua-session-activity")

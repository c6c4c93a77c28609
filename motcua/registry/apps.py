from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "motcua.registry"
    verbose_name = _("Digitised documents and results")

    def ready(self) -> None:
        from motcua.dossiers import lifecycle

        from . import copies

        # In the event's transaction: a scan refused for its quality is not stored at all.
        lifecycle.subscribe(copies.on_event, batch=copies.on_batch)

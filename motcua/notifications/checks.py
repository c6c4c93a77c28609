"""Startup checks of the notifications' settings: a typo is reported when the server or
the worker starts, never by a transition that fails."""

from django.core.checks import Error, register

from . import conf


@register()
def notify_settings(app_configs, **kwargs):
    errors = []
    unknown = conf.unknown_channels()
    if unknown:
        errors.append(
            Error(
                f"MOTCUA_NOTIFY_CHANNELS names unknown channels: {', '.join(unknown)}",
                hint="Choose among console, email, sms, zalo.",
                id="notifications.E001",
            )
        )
    try:
        conf.quiet_hours()
    except Exception as error:  # noqa: BLE001 - reported, not raised
        errors.append(Error(str(error), id="notifications.E002"))
    return errors

"""Startup checks of the payments' settings: a misspelt value fails at start, not at a
cashier's counter."""

from django.core import checks

from . import conf


@checks.register()
def payment_settings(app_configs, **kwargs) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    if conf.payment_clock() not in conf.CLOCK_CHOICES:
        errors.append(
            checks.Error(
                f"MOTCUA_PAYMENT_CLOCK is {conf.payment_clock()!r}; use one of "
                f"{', '.join(conf.CLOCK_CHOICES)}",
                id="payments.E001",
            )
        )
    prefix = conf.reference_prefix()
    if not (prefix.isascii() and prefix.isalpha() and 1 <= len(prefix) <= 6):
        errors.append(
            checks.Error("MOTCUA_PAYMENT_PREFIX is 1 to 6 ASCII letters", id="payments.E002")
        )
    return errors


@checks.register()
def platform_settings(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """A platform address without its merchant code or secret would sign with nothing."""
    from django.conf import settings

    if not getattr(settings, "MOTCUA_PAYMENT_PLATFORM_URL", ""):
        return []
    missing = [
        name
        for name in ("MOTCUA_PAYMENT_PLATFORM_MERCHANT", "MOTCUA_PAYMENT_PLATFORM_SECRET")
        if not getattr(settings, name, "")
    ]
    if missing:
        return [
            checks.Error(
                f"MOTCUA_PAYMENT_PLATFORM_URL is set but {', '.join(missing)} is not",
                id="payments.E003",
            )
        ]
    return []

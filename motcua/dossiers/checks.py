"""System checks (`manage.py check`, run by every management command and at server start)
for settings that would leave the public tracking door open."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=False)
def tracking_limits(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """The per-address lookup limit (tracking.py): a number of lookups, or 0 when the
    reverse proxy limits requests per address instead; never negative."""
    found = []
    limits = {
        name: getattr(settings, name)
        for name in (
            "MOTCUA_TRACKING_IP_LIMIT",
            "MOTCUA_TRACKING_IP_WINDOW",
            "MOTCUA_TRACKING_SECRET_LIMIT",
            "MOTCUA_TRACKING_SECRET_ADDRESS_LIMIT",
            "MOTCUA_TRACKING_SECRET_WINDOW",
        )
    }
    for name, value in limits.items():
        smallest = 0 if name == "MOTCUA_TRACKING_IP_LIMIT" else 1
        if value < smallest:
            found.append(
                checks.Error(f"{name} must be at least {smallest}.", id="motcua.E001", obj=name)
            )
    if limits["MOTCUA_TRACKING_IP_LIMIT"] == 0 and settings.MOTCUA_TRUSTED_PROXY_COUNT == 0:
        found.append(
            checks.Warning(
                "Tracking lookups are not limited per client address "
                "(MOTCUA_TRACKING_IP_LIMIT=0) and no reverse proxy is declared "
                "(MOTCUA_TRUSTED_PROXY_COUNT=0).",
                hint="Limit requests per address in the proxy (nginx limit_req) and set "
                "MOTCUA_TRUSTED_PROXY_COUNT, or set MOTCUA_TRACKING_IP_LIMIT (default 60).",
                id="motcua.W001",
            )
        )
    return found

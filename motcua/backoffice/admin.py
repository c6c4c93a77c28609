"""django-otp's TOTP devices in the admin: a system administrator may see whose account has
an authenticator app and delete a device (a lost phone; audited), never read its secret
(OTP_ADMIN_HIDE_SENSITIVE_DATA) nor add or change one: accounts enrol themselves
(backoffice/otp_views.py). Agency administrators do not see them."""

from django.contrib import admin
from django_otp.plugins.otp_totp import admin as totp_admin  # registers its own admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.organisations.admin_access import SystemAdministratorsOnly

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(SystemAdministratorsOnly, totp_admin.TOTPDeviceAdmin):
    pass

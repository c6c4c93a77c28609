"""manage.py notify_opt_out <phone or e-mail> [--channel sms] [--undo]: a person asks, at
the counter or by phone, for no more notices (or none through one channel)."""

from django.core.management.base import BaseCommand, CommandError

from motcua.notifications import preferences
from motcua.notifications.models import Channel


class Command(BaseCommand):
    help = "Stop (or with --undo, resume) the notices to a phone number or e-mail address."

    def add_arguments(self, parser):
        parser.add_argument("address", help="a phone number or an e-mail address")
        parser.add_argument(
            "--channel",
            choices=[Channel.EMAIL, Channel.SMS, Channel.ZALO],
            help="only this channel (by default: every notice)",
        )
        parser.add_argument("--undo", action="store_true", help="send notices again")

    def handle(self, *args, address: str, channel: str | None, undo: bool, **options):
        try:
            preference = preferences.opt_out(address, channel=channel, undo=undo)
        except ValueError as error:
            raise CommandError(str(error)) from error
        what = channel or "all notices"
        state = "resumed" if undo else "stopped"
        self.stdout.write(f"{preference.address}: {what} {state}")

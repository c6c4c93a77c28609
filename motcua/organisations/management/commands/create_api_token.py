from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.organisations.tokens import issue_token


class Command(BaseCommand):
    help = (
        "Create an API token for a user and print it once. Programs send it as "
        "'Authorization: Bearer <token>'. Only its hash is stored: copy it now."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="the user the token acts as")
        parser.add_argument("--name", required=True, help="what the token is for")
        parser.add_argument(
            "--days", type=int, default=None, help="valid for this many days (default: no expiry)"
        )

    def handle(self, *args, username: str, name: str, days: int | None, **options):
        user = self._user(username)
        if not name.strip():
            raise CommandError("--name must not be empty.")
        if days is not None and days < 1:
            raise CommandError("--days must be 1 or more.")
        expires_at = timezone.now() + timedelta(days=days) if days else None
        issued = issue_token(user, name=name, expires_at=expires_at)
        until = f"until {timezone.localtime(expires_at):%Y-%m-%d %H:%M}" if expires_at else ""
        self.stderr.write(
            f"API token {issued.token.prefix}… for {user.get_username()} ({name.strip()}) "
            f"{until or 'without expiry'}. It is shown only this once:"
        )
        self.stdout.write(issued.plain)

    def _user(self, username: str):
        model = get_user_model()
        try:
            user = model.objects.get(**{model.USERNAME_FIELD: username})
        except model.DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive; activate the account first.")
        return user

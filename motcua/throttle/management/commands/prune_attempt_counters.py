from django.core.management.base import BaseCommand

from motcua.throttle.services import prune_expired


class Command(BaseCommand):
    help = "Delete attempt counters (rate limits) whose window has ended."

    def handle(self, *args, **options):
        self.stdout.write(f"attempt counters deleted: {prune_expired()}")

from django.core.management.base import BaseCommand

from motcua.queueing.demo import seed_queues


class Command(BaseCommand):
    help = (
        "Give every active reception point a queue: services A (intake), B (guidance), "
        "T (pickup) and its counters. Idempotent."
    )

    def handle(self, *args, **options) -> None:
        for point in seed_queues():
            slug = point.slug
            self.stdout.write(f"{point}: /kiosk/{slug}/ /bang-dien-tu/{slug}/ /dat-lich/{slug}/")

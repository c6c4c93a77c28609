from django.core.management.base import BaseCommand

from motcua.organisations.services import load_administrative_units


class Command(BaseCommand):
    help = (
        "Load Vietnam's 34 provinces and 3,321 communes (2025 reform) from the "
        "vietnam-provinces package. Safe to run again: nothing changes the second time."
    )

    def handle(self, *args, **options):
        result = load_administrative_units()
        self.stdout.write(
            f"administrative units: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged"
        )

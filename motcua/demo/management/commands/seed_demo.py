from django.core.management.base import BaseCommand
from django.utils import translation

from motcua.demo.catalogue import seed_catalogue
from motcua.demo.organisations import DEMO_PASSWORD, seed_organisations


class Command(BaseCommand):
    help = (
        "Load the demo province (Hà Tĩnh: service centre, three departments, two communes), "
        "one account per role and a few hundred real procedures. Safe to run again."
    )

    def handle(self, *args, **options):
        translation.activate("vi")
        accounts = seed_organisations()
        result, localised = seed_catalogue()
        self.stdout.write(
            f"Procedures: {result.count('created')} created, "
            f"{result.count('new_version')} updated, {result.count('unchanged')} unchanged, "
            f"{result.count('skipped')} skipped; {localised} localised to the demo province."
        )
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for username, role, agency in accounts:
            self.stdout.write(f"  {username:<20} {role:<32} {agency}")

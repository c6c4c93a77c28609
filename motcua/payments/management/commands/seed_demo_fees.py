from django.core.management.base import BaseCommand

from motcua.payments.demo import seed_fees


class Command(BaseCommand):
    help = (
        "Fee items for the demo procedures that carry fees, receipt series for the demo "
        "agencies that receive dossiers, a demo bank account for VietQR (seed_demo runs it). "
        "Safe to run again."
    )

    def handle(self, *args, **options):
        self.stdout.write(seed_fees())

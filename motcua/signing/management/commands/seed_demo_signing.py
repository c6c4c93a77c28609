from django.core.management.base import BaseCommand

from motcua.signing import demo


class Command(BaseCommand):
    help = "The demo's signing keys (a SoftHSM2 token), seal and signature images (idempotent)."

    def handle(self, *args, **options):
        for line in demo.seed():
            self.stdout.write(line)

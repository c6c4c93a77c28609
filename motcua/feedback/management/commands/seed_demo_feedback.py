from django.core.management.base import BaseCommand

from motcua.feedback.demo import seed_feedback


class Command(BaseCommand):
    help = (
        "Ratings of the returned demo dossiers across channels and levels, and a dozen "
        "feedback items in every state of the register, three with a published answer "
        "(seed_demo runs it). Safe to run again."
    )

    def handle(self, *args, **options):
        self.stdout.write(seed_feedback())

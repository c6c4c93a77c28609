"""The database side of the crash test (test_crash_delivery.py), run as a subprocess with the
scratch server's environment: `python -m motcua.outbox.tests.crash_site` prints, as JSON, the
receive events, the messages of the fake gateway's topic with their state, and counts."""

import json
import os


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.outbox.tests.crash_settings")
    import django

    django.setup()
    from motcua.dossiers.models import DossierEvent
    from motcua.outbox.models import OutboxMessage
    from motcua.outbox.tests.fake_gateway import TOPIC

    events = DossierEvent.objects.filter(action="receive")
    messages = OutboxMessage.objects.filter(topic=TOPIC)
    print(
        json.dumps(
            {
                "events": {str(pk): code for pk, code in events.values_list("pk", "dossier__code")},
                "messages": {
                    key: [state, attempts]
                    for key, state, attempts in messages.values_list("key", "state", "attempts")
                },
            }
        )
    )


if __name__ == "__main__":
    main()

"""Received by post beside Biểu 06 (`recv_post`), and every dossier's points recomputed:
results are now judged by the appointment's local day (decision 0011), which moves results
later on the appointment day than its hour from "late" to "on time". The rebuild runs on the
historical models, so it stays valid whatever later migrations add; without dossiers it does
nothing. Reversing keeps the tallies (the old code would read them as they are; run
`manage.py rebuild_tallies` after going back)."""

from django.db import migrations, models


def rebuild(apps, schema_editor):
    if not apps.get_model("dossiers", "Dossier").objects.exists():
        return
    from motcua.reports.tallies import rebuild as rebuild_tallies

    rebuild_tallies(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("dossiers", "0010_applicant_identity_type"),
    ]

    operations = [
        migrations.AddField(
            model_name="daytally",
            name="recv_post",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="monthtally",
            name="recv_post",
            field=models.IntegerField(default=0),
        ),
        migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=True),
    ]

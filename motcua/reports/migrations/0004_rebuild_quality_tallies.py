"""The quality indicators' tallies built from the dossiers already there (decision 0015):
every dossier's points recomputed with its quality points, and all tallies rebuilt (on the
historical models, so it stays valid whatever later migrations add; without dossiers it does
nothing). Reversing keeps the tables as they are (0003 drops them)."""

from django.db import migrations


def rebuild(apps, schema_editor):
    if not apps.get_model("dossiers", "Dossier").objects.exists():
        return
    from motcua.reports.tallies import rebuild as rebuild_tallies

    rebuild_tallies(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_quality_tallies"),
        ("dossiers", "0011_digitised_before_import"),
    ]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=True)]

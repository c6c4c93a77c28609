"""The quality facts read from the running tallies equal those computed from the dossier rows,
dossier by dossier (quality_rows.py, the page's computation before decision 0015).

Random histories through the lifecycle services (test_tallies_match_definition.Life: the
counter, by post and online, supplements, apologies, results early, on time or late and at
the appointment day's boundaries, refusals, withdrawals, stops, returns), with what the
quality indicators read besides: documents scanned, result files attached, a step assigned
before a refusal (its officer is the assignee), a step completed, sent back and completed
again. Then, for random periods and every kind of scope, `quality_reads.facts` must equal
`quality_rows.facts`, and the page built from each must be the same; after a rebuild too,
which must find every stored point already right.
"""

from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.dossiers.attachments import attach_file
from motcua.dossiers.models import Dossier
from motcua.dossiers.processing import assign_step, complete_step, send_back
from motcua.dossiers.tests.conftest import at, vn
from motcua.reports import indicators, quality_reads, tallies
from motcua.reports.tasks import make_month_snapshots
from motcua.testing.files import blank_pdf

from . import quality_rows
from . import test_tallies_match_definition as definition
from .test_tallies_match_definition import Life, periods, plans, scopes

life = definition.life  # the fixture

PDF = blank_pdf()  # a real PDF: scans of documents are read (registry.quality)

quality_plans = st.tuples(
    plans,
    st.fixed_dictionaries(
        {
            "scan": st.booleans(),
            "result_file": st.booleans(),
            "send_back": st.booleans(),
            "assign": st.booleans(),
        }
    ),
).map(lambda pair: {**pair[0], **pair[1]})


def pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("tep.pdf", PDF, content_type="application/pdf")


class QualityLife(Life):
    """Life, with scans, result files, an assignment and a step sent back."""

    def end(self, dossier, plan, now) -> None:
        p, ending = self.people, plan["ending"]
        before = now - timedelta(minutes=3)
        if plan["scan"] or plan["result_file"]:
            with at(before):
                found = Dossier.objects.get(pk=dossier.pk)
                if plan["scan"]:
                    component = found.components.order_by("pk").first()
                    attach_file(
                        found, actor=p["clerk"], upload=pdf(), kind="scan", component=component
                    )
                if plan["result_file"]:
                    attach_file(found, actor=p["clerk"], upload=pdf(), kind="result")
        if ending in {"granted", "refused"} and plan["assign"]:
            with at(before + timedelta(minutes=1)):
                assign_step(dossier, actor=p["department_head"], assignee=p["specialist"])
        if ending == "granted" and plan["send_back"]:
            with at(before + timedelta(minutes=2)):
                complete_step(dossier, actor=p["specialist"])
                send_back(dossier, actor=p["department_head"], to_order=2, reason="Xác minh lại")
        super().end(Dossier.objects.get(pk=dossier.pk), plan, now)


@pytest.fixture
def quality_life(life, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return QualityLife(life.people, life.procedure, life.centre)


def page(result) -> dict:
    """What the quality page shows, as plain values."""

    def scores(indicators_):
        return [
            (i.number, i.score, i.numerator, i.denominator, i.counts, i.basis) for i in indicators_
        ]

    return {
        "whole": (result.whole.scored, result.whole.received, scores(result.whole.indicators)),
        "units": [(u.agency_id, u.scored, u.received, scores(u.indicators)) for u in result.units],
        "officers": [
            (o.user_id, o.dossiers, o.agencies, scores(o.indicators)) for o in result.officers
        ],
        "groups": [
            (x.code, x.numerator, x.denominator, x.value, x.points)
            for g in result.groups
            for x in g.figures
        ],
    }


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    histories=st.lists(quality_plans, min_size=1, max_size=4),
    asked=st.lists(periods, min_size=2, max_size=3),
)
def test_quality_facts_from_the_tallies_equal_those_from_the_rows(
    quality_life,
    histories,
    asked,
    centre,
    justice_department,
    commune_agency,
    registry_division,
    criminal_record,
):
    for plan in histories:
        quality_life.run(plan)
        if plan["report_after"]:
            make_month_snapshots.call()
    every = scopes(centre, justice_department, commune_agency, registry_division, criminal_record)
    with at(vn(2026, 7, 1, 9, 0)):
        for period in asked:
            for scope in every:
                direct = quality_rows.facts(period, scope)
                assert quality_reads.facts(period, scope) == direct, (period, scope)
            rows = indicators.build(period, every[0], source=quality_rows)
            assert page(indicators.build(period, every[0])) == page(rows), period
        assert tallies.rebuild()["changed"] == 0  # the live points are the rebuild's
        for period in asked:
            assert quality_reads.facts(period, every[0]) == quality_rows.facts(period, every[0])
        # The migrations' rebuild (historical models, the sums made in Python and written as
        # they go, chunk after chunk, added to the rows already written) and the re-sum by
        # the database leave the same tallies.
        flush = tallies.QUALITY_FLUSH
        tallies.QUALITY_FLUSH = 1
        try:
            tallies.rebuild(chunk=2, apps=django_apps)
            rebuilt = tally_tables()
            # The sums again from the stored points, by the database: the same rows.
            tallies.resum()
        finally:
            tallies.QUALITY_FLUSH = flush
        assert tally_tables() == rebuilt
        for period in asked:
            assert quality_reads.facts(period, every[0]) == quality_rows.facts(period, every[0])


def tally_tables() -> dict[str, list]:
    """Every row of the running tallies, without their ids, as a rebuild or a re-sum leaves
    them (rows of zeros are not kept by either)."""
    from django.apps import apps

    out = {}
    for model in apps.get_app_config("reports").get_models():
        name = model.__name__
        if name.endswith(("Day", "Month", "Tally", "Stock", "Late", "Link")) or name == (
            "StockMonth"
        ):
            fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
            out[name] = sorted(model._default_manager.values_list(*fields), key=repr)
    return out

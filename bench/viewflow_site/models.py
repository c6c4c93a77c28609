"""The dossier as a viewflow process: viewflow's documented pattern of a proxy of its Process
model whose fields live in the process's JSON data (viewflow.jsonstore)."""

from viewflow import jsonstore
from viewflow.workflow.models import Process


class DossierProcess(Process):
    code = jsonstore.CharField(max_length=64)
    applicant = jsonstore.CharField(max_length=255)
    stage = jsonstore.CharField(max_length=32)

    class Meta:
        proxy = True

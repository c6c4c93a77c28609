from django.apps import AppConfig


class ViewflowSiteConfig(AppConfig):
    name = "bench.viewflow_site"
    label = "viewflow_site"

from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    """No models: the app is installed for its `generate_dossiers` command."""

    name = "motcua.synthetic"

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_command_output():
    """The command tests read English output; operators get Vietnamese by default, which
    test_import_jsonl.py checks once on its own."""
    with translation.override("en"):
        yield

"""The OpenAPI document at /api/v1/openapi.json: valid for a validator we did not write
(schemathesis' OpenAPI 3.1 meta-schema, jsonschema_rs for each schema), every reference
resolves, and no two schemas share a component name (ninja would keep only the last)."""

import jsonschema_rs
import pytest
import schemathesis
from ninja.openapi.schema import OpenAPISchema

from motcua.api.main import api

DOC = "/api/v1/openapi.json"
REF = "#/components/schemas/"


@pytest.fixture
def document(client, db) -> dict:
    response = client.get(DOC)
    assert response.status_code == 200
    return response.json()


def references(node) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [ref for value in node.values() for ref in references(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in references(value)]
    return []


def test_the_document_is_valid_openapi(document):
    schemathesis.openapi.from_dict(document).validate()
    assert document["openapi"].startswith("3.1")
    for schema in document["components"]["schemas"].values():
        jsonschema_rs.meta.validate(schema)


def test_every_reference_resolves(document):
    components = document["components"]["schemas"]
    refs = set(references(document["paths"])) | set(references(components))

    assert refs and all(ref.startswith(REF) for ref in refs)
    assert {ref.removeprefix(REF) for ref in refs} <= set(components)


def test_no_two_schemas_share_a_component_name(monkeypatch, db):
    seen: dict[str, dict] = {}
    clashes: list[str] = []
    original = OpenAPISchema.add_schema_definitions

    def spy(self, definitions: dict) -> None:
        for name, definition in definitions.items():
            if name in seen and seen[name] != definition:
                clashes.append(name)
            seen[name] = definition
        original(self, definitions)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", spy)
    api.get_openapi_schema(path_prefix="/api/v1/")

    assert clashes == []


def test_each_level_and_status_keeps_its_values(document):
    components = document["components"]["schemas"]

    assert components["Level"]["enum"] == ["ministry", "province", "commune", "other_agency"]
    assert components["ResolvingLevel"]["enum"] == ["ministry", "province", "commune"]
    assert components["DossierStatus"]["enum"] == list(range(1, 11))
    assert components["VersionStatus"]["enum"] == ["draft", "published", "superseded"]
    assert {"ProcedureStepOut", "DossierStepOut"} <= set(components)
    assert not {"Status", "StepOut"} & set(components)


def test_component_ids_a_client_sends_are_documented_where_it_reads_them(document):
    """`component_id` of an intake is a checklist item's `id` (procedure API); that of an
    attachment is a handed-in document's `id` (dossier API)."""
    components = document["components"]["schemas"]

    assert "component_id" in components["HandedInIn"]["properties"]
    assert "id" in components["ComponentOut"]["properties"]
    handed_in = components["DossierComponentOut"]["properties"]
    assert {"id", "component_id", "is_digitised"} <= set(handed_in)


def test_apology_moment_must_carry_its_offset(document):
    new_due_at = document["components"]["schemas"]["ApologyIn"]["properties"]["new_due_at"]

    assert new_due_at["format"] == "date-time"
    assert "offset" in new_due_at["description"]


def test_every_operation_documents_its_errors(document):
    """Conformance needs the error statuses each route can answer (the fuzz run checks it);
    they all share the one error shape."""
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            statuses = set(operation["responses"])
            assert "422" in statuses or not _has_input(operation), (method, path)
            for status in statuses - {"200", "201"}:
                content = operation["responses"][status]["content"]["application/json"]
                assert content["schema"] == {"$ref": REF + "ErrorOut"}, (method, path, status)


def _has_input(operation: dict) -> bool:
    return bool(operation.get("parameters") or operation.get("requestBody"))

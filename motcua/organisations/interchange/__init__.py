"""Reading and writing the organisation tree as JSON Lines and Excel workbooks
(import_organisations, export_organisations).

- `files`: where a record came from (`Location`), the errors, the JSON Lines format and which
  reader or writer a file needs;
- `xlsx`: the workbook, one sheet per kind of row;
- `records`: one JSON object -> a validated `UnitRecord` or `AgencyRecord`, and a stored
  unit or agency -> its JSON object;
- `importer`: the import's policy (validate every record, one transaction, skip or refuse,
  unchanged rows left alone); `exporter`: what export writes.

The format and the rules are documented for administrators in docs/organisations-import.md.
"""

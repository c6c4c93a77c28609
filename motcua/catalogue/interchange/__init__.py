"""Reading and writing the procedure catalogue as JSON Lines and Excel workbooks.

- `record`: one procedure as plain data (`ProcedureRecord`), its canonical content and JSON;
- `parse`: a JSON object (either schema) -> validated `ProcedureRecord`;
- `portal`, `documents`: the repair rules for records from the National Public Service Portal;
- `notes`: the repair notes kept in `ProcedureVersion.import_notes`;
- `references`: agency, department and field codes -> rows;
- `jsonl`, `xlsx`, `files`: file formats; `importer`, `exporter`, `report`: the commands' work;
- `demo`: how the shipped demo catalogue is picked and given process templates.

The rules are documented for administrators in docs/catalogue-import.md.
"""

"""Backups and restore of one installation: its database and its uploaded files
(docs/backups.md)."""

"""Backups: a consistent copy of the database and the data directory's files, with a checksummed manifest, and
its restore (docs/backup.md)."""

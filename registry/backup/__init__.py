"""Backup and restore of the whole database: accounts, the audit log, alerts and documents.

`dpa-registry backup -o FILE` writes one consistent snapshot (SQLite: the online backup API;
PostgreSQL: `pg_dump --format=custom`) and `dpa-registry restore FILE` loads it into an empty
database. The secrets that live outside the database (REGISTRY_SECRET_KEY, REGISTRY_TOTP_KEY,
REGISTRY_AUDIT_KEY) are not in the snapshot: docs/backup.md says how to keep them.
"""

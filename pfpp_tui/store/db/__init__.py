"""The database itself: engine and sessions, the SQLite and PostgreSQL corners, migrations,
where the database is, lock waits, backups, copies, checks, the register of files pfpp wrote --
and the one write path every use case goes through: each row with its rules (``record_rules``),
version and history row (``records``, ``changes``), in the same transaction.
"""

"""The database itself: engine and sessions, the SQLite and PostgreSQL corners, migrations,
where the database is, lock waits, backups, copies, checks and the register of files pfpp wrote.
"""

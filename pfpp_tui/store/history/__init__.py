"""What is built on the change history (``store.db.changes``): undo, earlier agreement versions,
and a person's data over time -- what is held about them (subject access), their removed links
and mentions, erasure and retention.
"""

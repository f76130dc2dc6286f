"""The change history and what is built on it: undo, earlier agreement versions, and a person's
data over time -- what is held about them (subject access), their removed links and mentions,
erasure and retention.
"""

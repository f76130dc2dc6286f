"""The change history and what is built on it: undo, earlier agreement versions, a person's
removed links and mentions, erasure and retention.
"""

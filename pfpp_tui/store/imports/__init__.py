"""Bulk imports against the database (contacts, funding flows, assessments): match, plan,
then write all or nothing. Parsing files belongs to ``pfpp_tui.importers``.
"""

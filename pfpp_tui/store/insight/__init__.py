"""Looking across the programme: the overview, coverage, barrier patterns, funding flows,
partnership assessments and principle tags, and the data behind the reports.
"""

"""The programme's work: every record written through one path (rules, versions, history),
meetings logged, barriers triaged, review agendas and pre-partnership agreements.
"""

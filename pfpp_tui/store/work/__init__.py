"""The programme's work: meetings logged, barriers triaged, review agendas and pre-partnership
agreements -- each a use case that writes through ``store.db.records`` in one transaction.
"""

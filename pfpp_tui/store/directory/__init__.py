"""People and organisations by name: organisation names over time and kinds, and finding a
pilot, organisation, team or person a workflow names.
"""

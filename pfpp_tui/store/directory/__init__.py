"""People and organisations: a person's whole record, organisation names and kinds, canonical
e-mail and phone forms, and finding a pilot, organisation, team or person by name.
"""

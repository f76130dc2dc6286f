"""Lists of records: the filter language, browse pages and counts, one record with its
links, and the flat rows every export format writes.
"""

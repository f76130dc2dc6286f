"""Shapes: the plain values that cross floors — record kinds, columns, report and insight items.

The store builds them, the exporters write them, the front ends show them. This package is the
floor below all three (import-linter holds it there): enums and frozen dataclasses only, no
database, no I/O, no formatting.
"""

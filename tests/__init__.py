"""Tests mirror the package; shared helpers are imported as ``tests.<module>``."""

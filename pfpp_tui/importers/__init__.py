"""Contact importers: one module per foreign format behind ``importers.base``."""

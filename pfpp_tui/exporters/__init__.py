"""Exporters: one module per output format; pure serialisation of rows the store hands over."""

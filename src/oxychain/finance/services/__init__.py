"""Finance's use cases: one short function each, inside a unit of work."""

"""Database access: engines per site (engine.py), tables built from meta (tables.py),
schema sync (schema.py) and the engine's internal bookkeeping tables (internal.py)."""

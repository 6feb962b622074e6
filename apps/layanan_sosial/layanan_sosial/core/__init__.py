"""The metadata engine: sites, DocType meta, schema sync, documents, queries, jobs, CLI.

Never imports a domain module (checked by tests/core/test_import_boundary.py).
"""

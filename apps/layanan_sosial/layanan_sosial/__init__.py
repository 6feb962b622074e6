"""Layanan Sosial Terpadu: a Frappe-compatible low-code platform for social services.

`core/` is the metadata engine and knows nothing of social services; the other
sub-packages are domain modules built on it (listed in `modules.txt`).
"""

__version__ = "0.1.0"

"""DocType metadata: the model (model.py), loading and validation (loader.py, validate.py),
run-time customisation merge (customize.py) and the per-site cache (cache.py)."""

from .model import DocField, DocPerm, Meta

__all__ = ["DocField", "DocPerm", "Meta"]

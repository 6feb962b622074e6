"""Documents: the record lifecycle (new, insert, save, submit, cancel, amend, delete).

`Document` (document.py) holds values; lifecycle.py runs the pipelines; validation.py,
naming.py, persistence.py, version.py and tree.py each do one part of them.
"""

from .document import Document

__all__ = ["Document"]

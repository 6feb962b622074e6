"""The workflow engine: states and transitions as data (Workflow records), enforced on the
server for every save, plus Workflow Action rows and SLA deadlines with escalation.

Listeners are registered when this package is imported (core.document.events imports it
on first dispatch), so any DocType with an active Workflow is governed without code.
"""

from . import listeners  # noqa: F401 - registers the engine listeners

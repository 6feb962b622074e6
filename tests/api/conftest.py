"""The permission tests' world (permission_world.py) as a fixture of tests/api: module
scope, so each test module that uses it gets a fresh site per backend."""

from permission_world import world  # noqa: F401 - registered as a fixture here

"""The accountability tests' session key (nothing is read from the machine's environment)."""

from tests.accountability.conftest import _key  # noqa: F401

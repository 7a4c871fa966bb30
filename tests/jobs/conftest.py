"""Fixtures of the jobs tests: the notices tests' registry person."""

from tests.notices.conftest import ayubov  # noqa: F401

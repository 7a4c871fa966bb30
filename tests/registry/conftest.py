"""The registry's pages share the web tests' records and signed-in clients."""

from tests.web.conftest import (  # noqa: F401 (pytest fixtures)
    client_for,
    plain_static_files,
    quick_password_hashing,
    records,
)

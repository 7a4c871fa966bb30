"""The OpenAPI document is the truth: generated requests to every operation (Schemathesis, bounded) get answers
that match the document — status codes, bodies, content types, headers — never a server error, and an operation
that needs a token refuses a request without one.

``SHELTER_SCHEMA_EXAMPLES`` sets the examples per operation (default 8; raise it for a longer run)."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from shelter.access.models import ApiToken

EXAMPLES = int(os.environ.get("SHELTER_SCHEMA_EXAMPLES", "8"))
CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_schema_conformance, checks.response_headers_conformance, checks.ignored_auth]


@pytest.fixture
def api_schema(records: Any) -> Any:
    """The document, read from the app itself. Requests go to the WSGI app in this process, inside the test's
    transaction; as Django's test client does, the connection is not closed at the end of each request."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from shelter.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented(case: Any, users: Any) -> None:
    token = ApiToken.issue(users["editor"])
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

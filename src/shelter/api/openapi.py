"""The OpenAPI document says everything an endpoint may answer, not only its success.

Django Ninja documents the success response of each operation and the request it takes. The errors every
operation can answer come from shared handlers (``routes.py``), so they are added here, once, for every operation
of every router: each with the one error body ``{"detail": ...}``. Operations open to anonymous callers declare
their token as optional.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

ERROR_SCHEMA = "Error"
ERROR_BODY: dict[str, Any] = {
    "title": ERROR_SCHEMA,
    "type": "object",
    "description": "Every error: a sentence, or for invalid values a list naming each field.",
    "properties": {
        "detail": {
            "anyOf": [
                {"type": "string"},
                {"type": "array", "items": {
                    "type": "object",
                    "properties": {
                        "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                                "description": "where: body, query or path, then the field"},
                        "msg": {"type": "string"},
                    },
                    "required": ["loc", "msg"],
                }},
            ],
        },
    },
    "required": ["detail"],
}

ANONYMOUS_SCHEME = "BearerTokenOrAnonymous"
WRITES = {"post", "put", "patch", "delete"}

# status -> (description, applies to the operation?)
ERRORS: dict[int, tuple[str, Any]] = {
    400: ("the request could not be read (not JSON, or a malformed body)",
          lambda method, op: method in WRITES or "requestBody" in op),
    401: ("the token is missing, unknown or revoked", lambda method, op: True),
    403: ("the token's user may not do this (role, clearance or case team)",
          lambda method, op: method in WRITES or not _anonymous(op)),
    404: ("no such record, or one the caller may not see (the same answer)",
          lambda method, op: any(p.get("in") == "path" for p in op.get("parameters", []))),
    405: ("the method is not allowed on this path", lambda method, op: True),
    413: ("the request body is larger than the upload limit", lambda method, op: method in WRITES or "requestBody" in op),
    415: ("the request body is not of a type this operation reads", lambda method, op: method in WRITES or "requestBody" in op),
    422: ("a value is invalid: each entry names its field and the reason", lambda method, op: True),
    500: ("an internal error; the server's log holds the details under the reference given",
          lambda method, op: True),
    503: ("the database is busy with another write; nothing was changed, retry after Retry-After seconds",
          lambda method, op: True),
}


def _anonymous(operation: dict[str, Any]) -> bool:
    return any(ANONYMOUS_SCHEME in requirement for requirement in operation.get("security", []))


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error responses and optional authentication to every operation of ``schema`` (in place)."""
    schema.setdefault("components", {}).setdefault("schemas", {})[ERROR_SCHEMA] = ERROR_BODY
    error = {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}}}}
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for status, (description, applies) in ERRORS.items():
                if applies(method, operation) and status not in responses and str(status) not in responses:
                    responses[status] = {"description": description, **error}
            if _anonymous(operation):
                # no Authorization header at all: the caller is anonymous (published public records only)
                operation["security"] = [*operation["security"], {}]
    return schema


class ShelterAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_errors(schema)
        return schema

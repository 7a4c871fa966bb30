"""The REST API under /api/v1/: one NinjaAPI, with a router per module.

A module adds its endpoints with ``api.add_router("/<prefix>/", router)`` in ``_mount_routers`` below. Endpoints need a valid
bearer token unless they opt in to anonymous reads with ``auth=TOKEN_OR_ANONYMOUS`` (see ``auth.py``); every
read goes through the visibility filter.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from shelter.api.auth import TOKEN, BearerToken

__all__ = ["BearerToken", "api"]

api = NinjaAPI(
    title="Shelter API",
    version="1",
    auth=TOKEN,
    urls_namespace="api",
    description="Records of transnational repression. Send `Authorization: Bearer <token>`; without it, "
                "read endpoints answer with published public records only. A record you may not see answers "
                "404, exactly like one that does not exist.",
)


@api.exception_handler(ValidationError)
def invalid_values(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """422 with one entry per field: ``{"detail": [{"loc": ["body", field], "msg": "..."}]}``."""
    if hasattr(error, "error_dict"):
        detail = [{"loc": ["body", field], "msg": message}
                  for field, messages in error.message_dict.items() for message in messages]
    else:
        detail = [{"loc": ["body"], "msg": message} for message in error.messages]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(error) or "not allowed"}, status=403)


@api.exception_handler(RequestDataTooBig)
def too_large(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    return api.create_response(
        request, {"detail": f"the request body is larger than the {limit // 1024} KiB limit (SHELTER_MAX_UPLOAD_MB)"},
        status=413)


def _mount_routers() -> None:
    from shelter.analytics.api import router as analytics
    from shelter.api.incidents import incidents, sources
    from shelter.api.registry import organisations, people, relationships
    from shelter.notices.api import router as notices
    from shelter.threats.api import router as threats

    api.add_router("/people/", people)
    api.add_router("/organisations/", organisations)
    api.add_router("/relationships/", relationships)
    api.add_router("/incidents/", incidents)
    api.add_router("/sources/", sources)
    api.add_router("/notices/", notices)
    api.add_router("/threats/", threats)
    api.add_router("/analytics/", analytics)


_mount_routers()

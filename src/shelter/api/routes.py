"""The REST API under /api/v1/: one NinjaAPI, with a router per module.

A module adds its endpoints with ``api.add_router("/<prefix>/", router)`` in ``_mount_routers`` below. Endpoints need a valid
bearer token unless they opt in to anonymous reads with ``auth=TOKEN_OR_ANONYMOUS`` (see ``auth.py``); every
read goes through the visibility filter.

Every error answers JSON ``{"detail": ...}``: the handlers below cover what the endpoints raise, including anything
unexpected (a 500 whose traceback goes to the server log, never to the caller), and ``api_error_page`` answers for
paths under /api/ that Django itself refuses before an endpoint runs (unknown path, bad host, uncaught error).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

from shelter.api.auth import TOKEN, BearerToken
from shelter.api.openapi import ShelterAPI
from shelter.api.toolkit import refuse_nul

__all__ = ["BearerToken", "api"]

api = ShelterAPI(
    title="Shelter API",
    version="1",
    auth=TOKEN,
    urls_namespace="api",
    description="Records of transnational repression. Send `Authorization: Bearer <token>`; without it, "
                "read endpoints answer with published public records only. A record you may not see answers "
                "404, exactly like one that does not exist.",
)
# A NUL in any query, path or form value or JSON string is a 422 naming it, before any endpoint runs.
api.add_decorator(refuse_nul)


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


# Seconds a client is asked to wait before retrying when the database is busy (SQLite's write lock is held).
BUSY_RETRY_AFTER = 5
logger = logging.getLogger("shelter.api")


def database_busy(error: BaseException) -> bool:
    """SQLite's "database is locked": another writer held the lock for longer than the busy timeout."""
    return isinstance(error, OperationalError) and "locked" in str(error).lower()


def busy_response(request: HttpRequest) -> HttpResponse:
    response = api.create_response(
        request, {"detail": f"the database is busy with another write; nothing was changed, retry in "
                            f"{BUSY_RETRY_AFTER} seconds"}, status=503)
    response["Retry-After"] = str(BUSY_RETRY_AFTER)
    return response


def internal_error_detail(reference: str) -> str:
    return (f"internal error (reference {reference}): the request could not be answered; the server's log holds "
            "the details under this reference")


@api.exception_handler(Exception)
def unexpected(request: HttpRequest, error: Exception) -> HttpResponse:
    """Anything no other handler answers: 503 when the database is busy, else a JSON 500 with a reference that
    the operator finds next to the traceback in the server log."""
    if database_busy(error):
        logger.warning("%s %s: database busy (%s)", request.method, request.path, error)
        return busy_response(request)
    reference = secrets.token_hex(4)
    logger.error("%s %s failed (reference %s)", request.method, request.path, reference, exc_info=error)
    return api.create_response(request, {"detail": internal_error_detail(reference)}, status=500)


def api_error_page(status: int, message: str, page: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A Django error handler (``handler404`` and the like in the URLconf): JSON under /api/, ``page`` elsewhere."""

    def handler(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
        if not request.path.startswith("/api/"):
            return page(request) if exception is None else page(request, exception)
        if status == 500:
            reference = secrets.token_hex(4)
            logger.error("%s %s failed outside the API's handlers (reference %s; Django logs the traceback)",
                         request.method, request.path, reference)
            return JsonResponse({"detail": internal_error_detail(reference)}, status=500)
        return JsonResponse({"detail": message}, status=status)

    return handler


bad_request = api_error_page(400, "Bad Request", defaults.bad_request)
forbidden_page = api_error_page(403, "Forbidden", defaults.permission_denied)
not_found = api_error_page(404, "Not Found", defaults.page_not_found)
server_error = api_error_page(500, "", defaults.server_error)


def _mount_routers() -> None:
    from shelter.analytics.api import router as analytics
    from shelter.api.incidents import incidents, sources
    from shelter.api.registry import organisations, people, relationships
    from shelter.connectors.api import router as records_router
    from shelter.jobs.api import router as jobs_router
    from shelter.monitoring.api import router as monitoring_router
    from shelter.notices.api import router as notices
    from shelter.surveillance.api import router as surveillance
    from shelter.threats.api import router as threats
    from shelter.watchlists.match_api import router as match_router
    from shelter.watchlists.reconcile import router as reconcile_router

    api.add_router("/people/", people)
    api.add_router("/organisations/", organisations)
    api.add_router("/relationships/", relationships)
    api.add_router("/incidents/", incidents)
    api.add_router("/sources/", sources)
    api.add_router("/notices/", notices)
    api.add_router("/threats/", threats)
    api.add_router("/analytics/", analytics)
    api.add_router("/match/", match_router)
    api.add_router("/reconcile/", reconcile_router)
    api.add_router("/monitoring/", monitoring_router)
    api.add_router("/surveillance/", surveillance)
    api.add_router("/jobs/", jobs_router)
    api.add_router("/records/", records_router)


_mount_routers()

"""API authentication: ``Authorization: Bearer <token>`` (tokens from ``shelter token USERNAME``).

Reads are open to anonymous callers, who see published public records only (the visibility filter treats
them as anonymous visitors). A request that sends a token must send a valid one: a wrong token is a 401,
never a silent fall-back to anonymous. Writes always need a valid token.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer

from shelter.access.models import ApiToken, User


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = ApiToken.user_for(token)
        if user is not None:
            request.user = user
        return user


class BearerTokenOrAnonymous(BearerToken):
    """A valid token, or no Authorization header at all (the caller is then anonymous)."""

    def __call__(self, request: HttpRequest) -> User | AnonymousUser | None:
        if not request.headers.get(self.header):
            # A browser session does not count: the API knows only tokens, so it needs no CSRF protection.
            request.user = AnonymousUser()
            return request.user
        return super().__call__(request)


TOKEN = BearerToken()
TOKEN_OR_ANONYMOUS = BearerTokenOrAnonymous()

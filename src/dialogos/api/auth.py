"""Who is calling: an API token, the Django session, or nobody (the public).

Every operation runs these three in order, so every endpoint knows its caller as
``request.user`` and ``core.access`` decides from there:

1. ``Authorization: Bearer <token>`` — a token that is unknown or revoked is refused with
   401 at once, even when a session cookie is present too.
2. A signed-in session. Writes (POST, PATCH, PUT, DELETE) must carry the CSRF token
   (``X-CSRFToken`` header), as for any form of the site; without it 403.
3. Anonymous: allowed to call reads. Writes refuse anonymous callers with 401 themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from dialogos.api.services import user_for_token

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class BearerToken(HttpBearer):
    """An API token created with ``dialogos create_api_token``."""

    openapi_bearerFormat = "dlg_…"

    def __call__(self, request: HttpRequest) -> Any | None:
        header = request.headers.get(self.header)
        if not header:
            return None
        scheme, _sep, token = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationError(401, _("Send the token as: Authorization: Bearer <token>."))
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = user_for_token(token)
        if user is None:
            raise AuthenticationError(401, _("This API token is not valid or has been revoked."))
        request.user = user
        return user


class Session(APIKeyCookie):
    """The site's own sign-in; writes need the CSRF token like any form."""

    def __init__(self) -> None:
        from django.conf import settings

        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, _("CSRF check failed: send the X-CSRFToken header."))
        return user


def public(request: HttpRequest) -> Any:
    """Nobody signed in: the caller is the public (reads only)."""
    if getattr(request, "user", None) is None:
        request.user = AnonymousUser()
    return request.user


AUTH: list[Callable[[HttpRequest], Any]] = [BearerToken(), Session(), public]

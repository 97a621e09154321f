"""The Dialogos HTTP API, mounted at ``/api/v1/``: one NinjaAPI, routers from each app's api.py.

Cross-cutting rules live here, so each router stays thin:

- the language of every answer (``?lang=``, else ``Accept-Language``, else English);
- who the caller is (``dialogos.api.auth``);
- errors: every refusal is JSON, validation errors are 422 naming the field, nothing is 500.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema

from dialogos.api.auth import AUTH
from dialogos.dialogues.api import router as dialogues_router

DESCRIPTION = """
The public and authenticated API of Dialogos.

**Languages.** Translatable texts come twice: `name` in the language of the request and
`name_i18n` with every language. The language is `?lang=en|ru`, else the `Accept-Language`
header, else English. Error messages follow the same language.

**Authentication.** Anonymous callers read what the public may see. Send
`Authorization: Bearer <token>` (created with `dialogos create_api_token --email … --name …`)
or use the site's session cookie; session writes also need the `X-CSRFToken` header. An
unknown or revoked token is refused with 401.

**Access.** Every read is filtered by the platform's single access policy: a body you may not
see is answered with 404, exactly as if it did not exist. Writes are for the dialogue's
secretariat and platform operators: anonymous callers get 401, an object you cannot see 404,
and an object you can see but not change 403.

**Errors.** `{"detail": "…"}` for 400/401/403/404; validation errors are 422 with
`{"detail": [{"field": "end", "message": "…"}]}` (`field` is `null` for a problem of the whole
object, such as an overlapping term).
"""


def request_language(request: HttpRequest) -> str:
    """``?lang=``, else the best ``Accept-Language`` match, else the default language."""
    codes = [code for code, _name in settings.LANGUAGES]
    asked = request.GET.get("lang", "").strip().lower()[:2]
    if asked in codes:
        return asked
    for accepted, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        base = accepted.split("-")[0].lower()
        if base in codes:
            return base
    return str(settings.LANGUAGE_CODE)


def in_request_language(run: Callable[..., Any]) -> Callable[..., Any]:
    """Run an operation (checks, validation, view and errors) in the request's language."""

    @functools.wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        language = request_language(request)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = run(request, *args, **kwargs)
        if isinstance(response, HttpResponse):
            response.headers.setdefault("Content-Language", language)
            patch_vary_headers(response, ("Accept-Language", "Authorization", "Cookie"))
        return response

    return wrapper


class DialogosAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """Reads are public (empty security requirement) and every operation takes ``?lang``."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        lang = {
            "in": "query",
            "name": "lang",
            "required": False,
            "description": "Language of texts and messages (default: Accept-Language, else en).",
            "schema": {"type": "string", "enum": [code for code, _n in settings.LANGUAGES]},
        }
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                operation.setdefault("parameters", []).append(lang)
                if method == "get" and {} not in operation.setdefault("security", []):
                    operation["security"].append({})
        return schema


api = DialogosAPI(
    title="Dialogos API",
    version="1",
    description=DESCRIPTION.strip(),
    urls_namespace="api",
    auth=AUTH,
)
api.add_decorator(in_request_language, mode="view")
api.add_router("", dialogues_router)
api.add_router("", "dialogos.meetings.api.router")
for _app in ("search", "library", "texts", "plans", "projects", "news"):
    api.add_router("", f"dialogos.{_app}.api.router")


def _error(field: str | None, message: str) -> dict[str, Any]:
    return {"field": None if field in (None, NON_FIELD_ERRORS) else field, "message": message}


@api.exception_handler(DjangoValidationError)
def django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        detail = [
            _error(field, message)
            for field, errors in exc.message_dict.items()
            for message in errors
        ]
    else:
        detail = [_error(None, message) for message in exc.messages]
    return api.create_response(request, {"detail": detail}, status=422)


# Pydantic's messages are English; the common ones get the platform's own translated words.
def _pydantic_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return _("This field is required.")
    if kind in {"date_from_datetime_parsing", "date_parsing", "date_type"}:
        return _("Enter a valid date (YYYY-MM-DD).")
    if kind == "extra_forbidden":
        return _("This field is not known.")
    return str(error.get("msg", _("This value is not valid.")))


def _pydantic_field(error: dict[str, Any]) -> str | None:
    loc = [str(part) for part in error.get("loc", ())]
    # ("body", "payload", "end") -> "end"; ("query", "on") -> "on"; ("path", "id") -> "id"
    if loc and loc[0] == "body":
        loc = loc[2:]
    elif loc:
        loc = loc[1:]
    return ".".join(loc) or None


@api.exception_handler(NinjaValidationError)
def request_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    detail = [
        {**_error(_pydantic_field(error), _pydantic_message(error)), "type": error.get("type")}
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc)
    if exc.status_code == 400 and message.startswith("Cannot parse request body"):
        message = _("The request body is not valid JSON.")
    response = api.create_response(request, {"detail": message}, status=exc.status_code)
    if isinstance(exc, AuthenticationError):
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    message = str(exc) if exc.args else _("Not found.")
    return api.create_response(request, {"detail": message}, status=404)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    """Signed in and allowed to see the object, but not to do this with it."""
    message = str(exc) if exc.args else _("You may not do this.")
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(IntegrityError)
def integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    """A race past validation (two writes at once): refuse, the transaction rolled back."""
    detail = [_error(None, _("This conflicts with existing data; reload and try again."))]
    return api.create_response(request, {"detail": detail}, status=422)

"""News: HTTP API endpoints, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["news"])

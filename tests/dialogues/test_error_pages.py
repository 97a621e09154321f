"""The 404 and 500 pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import loader
from django.test import RequestFactory
from django.utils import translation
from django.views import defaults


def test_an_unknown_address_answers_with_the_sites_404_page(world: Any) -> None:
    response = world.client_for(None).get("/ru/no-such-page/")

    assert response.status_code == 404
    assert "Dialogos" in response.text
    assert 'href="/ru/"' in response.text
    assert '<html lang="ru"' in response.text


def test_the_500_page_renders_without_a_request() -> None:
    with translation.override("en"):
        html = loader.get_template("500.html").render()

    assert "Sorry, there is a problem with the service" in html
    assert "/static/css/dialogos.css" in html


@pytest.mark.django_db
def test_the_server_error_handler_uses_the_500_page() -> None:
    with translation.override("en"):  # an earlier /ru/ request may have left Russian active
        response = defaults.server_error(RequestFactory().get("/en/"))

    assert response.status_code == 500
    assert b"there is a problem with the service" in response.content

"""No page answers 500: the demo platform crawled as every kind of reader, each page also asked
with nonsense in its query string, and every read of the API with ids that do not exist.

A crawler, not a list: a page added tomorrow is covered the day its first link appears. It
follows the links a reader is shown (GET only, never a form), at most a few pages of each
shape (``/en/meetings/17/`` and ``/en/meetings/18/`` are one shape), so it stays quick.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from io import StringIO
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from dialogos.people.models import User

pytestmark = pytest.mark.django_db

PER_SHAPE = 2
MAX_PAGES = 160
SKIP = ("/static/", "/media/", "/admin/", "/logout", "/sign-out", "/api/v1/docs")
NONSENSE = (
    "page=x&year=abc&month=13&q=%22%28*&dialogue=%00&country=ZZZ&topic=..%2F&state=1%27"
    "&status=nope&type=%3Cscript%3E&sort=-nothing&pillar=-1&from=z&to=9999999999999999999"
)
#: Characters that ``str.isdigit`` accepts but ``int`` refuses (superscript two): a number
#: checked with ``isdigit`` and then converted answered 500.
NOT_DECIMAL = (
    "page=%C2%B2&year=%C2%B2%C2%B2%C2%B2%C2%B2&month=%C2%B2&dialogue=%C2%B2&pillar=%C2%B2"
    "&place=%C2%B2&status=%C2%B2&version=%C2%B2&parent=%C2%B2&q=%C2%B2"
)


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.found += [v for k, v in attrs if k == "href" and v]


def shape(path: str) -> str:
    return re.sub(r"\d+", "N", urlsplit(path).path)


def links(base: str, html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    out = []
    for href in parser.found:
        url = urljoin(base, href)
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if any(s in path for s in SKIP):
            continue
        out.append(path)
    return out


def crawl(client: Client, starts: list[str]) -> tuple[list[str], list[str]]:
    """Visit what the reader is shown; return the pages seen and the failures."""
    queue = deque(starts)
    seen: set[str] = set()
    per_shape: dict[str, int] = {}
    visited: list[str] = []
    failures: list[str] = []
    while queue and len(visited) < MAX_PAGES:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        key = shape(path)
        if per_shape.get(key, 0) >= PER_SHAPE:
            continue
        per_shape[key] = per_shape.get(key, 0) + 1
        response = client.get(path)
        visited.append(path)
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {path}")
            continue
        for nonsense in (NONSENSE, NOT_DECIMAL):
            odd = client.get(urlsplit(path).path + "?" + nonsense)
            if odd.status_code >= 500:
                failures.append(f"{odd.status_code} {path}?{nonsense}")
        content_type = response.get("Content-Type", "")
        if response.status_code == 200 and content_type.startswith("text/html"):
            queue.extend(links(path, response.content.decode()))
    return visited, failures


@pytest.fixture
def demo(db: Any) -> None:
    call_command("demo", stdout=StringIO())


@pytest.mark.parametrize(
    "email",
    [
        "",
        "operator@dialogos.example",
        "secretariat@dialogos.example",
        "focal.point@dialogos.example",
        "delegate@dialogos.example",
    ],
)
def test_no_page_answers_500(demo: None, email: str) -> None:
    client = Client()
    starts = ["/en/", "/ru/"]
    if email:
        client.force_login(User.objects.get(email=email))
        starts += ["/en/account/", "/en/workspace/", "/ru/workspace/"]
    visited, failures = crawl(client, starts)
    assert len(visited) > 40, visited  # the crawl really went through the platform
    assert not failures, failures


def test_no_api_read_answers_500(demo: None) -> None:
    client = Client()
    client.force_login(User.objects.get(email="secretariat@dialogos.example"))
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    asked = 0
    failures = []
    for template, operations in paths.items():
        if "get" not in operations:
            continue
        for value in ("1", "999999999999", "abc", "-1", "%C2%B2"):
            path = re.sub(r"\{[^}]+\}", value, template)
            for query in ("", "?" + NONSENSE, "?" + NOT_DECIMAL):
                for reader in (client, Client()):
                    response = reader.get(path + query)
                    asked += 1
                    if response.status_code >= 500:
                        failures.append(f"{response.status_code} {path}{query}")
            if "{" not in template:
                break
    assert asked > 100
    assert not failures, failures

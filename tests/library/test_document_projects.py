"""A document's page names the projects it belongs to — only those the reader may see."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from dialogos.projects import services as projects

pytestmark = pytest.mark.django_db


def test_the_document_page_lists_the_visible_projects(world: Any, make_document: Any) -> None:
    document = make_document()

    def project(title: str, level: str) -> Any:
        return projects.save_project(
            actor=world.alice,
            dialogue=world.pp,
            values={
                "title": {"en": title},
                "start": datetime.date(2021, 1, 1),
                "end": datetime.date(2023, 12, 31),
                "access_level": level,
            },
            links={"documents": [document]},
        )

    project("Resource centre (example data)", "public")
    project("Members pilot (example data)", "members")
    project("Internal study (example data)", "secretariat")
    url = f"/en/library/{document.pk}/"
    seen = {
        name: world.client_for(user).get(url).content.decode()
        for name, user in (("public", None), ("member", world.dan), ("secretariat", world.alice))
    }
    assert "Resource centre (example data)" in seen["public"]
    assert "Members pilot" not in seen["public"] and "Internal study" not in seen["public"]
    assert "Members pilot (example data)" in seen["member"]
    assert "Internal study" not in seen["member"]
    assert "Internal study (example data)" in seen["secretariat"]


def test_the_api_names_the_visible_projects(world: Any, make_document: Any) -> None:
    document = make_document()
    for title, level in (("Resource centre (example data)", "public"), ("Internal", "secretariat")):
        projects.save_project(
            actor=world.alice,
            dialogue=world.pp,
            values={
                "title": {"en": title, "ru": "Ресурсный центр (пример)"},
                "start": datetime.date(2021, 1, 1),
                "end": datetime.date(2023, 12, 31),
                "access_level": level,
            },
            links={"documents": [document]},
        )
    url = f"/api/v1/library/documents/{document.pk}"
    public = world.client_for(None).get(url).json()["projects"]
    assert [p["title"] for p in public] == ["Resource centre (example data)"]
    assert public[0]["url"].startswith("/en/projects/")
    assert public[0]["title_i18n"]["ru"] == "Ресурсный центр (пример)"
    secretariat = world.client_for(world.alice).get(url).json()["projects"]
    assert len(secretariat) == 2

"""Library: URLs under /<lang>/account/ (member pages)."""

from django.urls import URLPattern, URLResolver, path

import dialogos.library.converters  # noqa: F401 — registers <library_id:…>
from dialogos.library import member_views as views

app_name = "library_member"
urlpatterns: list[URLPattern | URLResolver] = [
    path("library/", views.practice_list, name="practices"),
    path("library/practices/new/<slug:slug>/", views.practice_create, name="practice_create"),
    path("library/practices/<library_id:pk>/", views.practice_detail, name="practice"),
    path("library/practices/<library_id:pk>/edit/", views.practice_edit, name="practice_edit"),
    path(
        "library/practices/<library_id:pk>/submit/", views.practice_submit, name="practice_submit"
    ),
    path(
        "library/practices/<library_id:pk>/delete/", views.practice_delete, name="practice_delete"
    ),
    path(
        "library/practices/<library_id:pk>/files/<library_id:file_pk>/remove/",
        views.file_remove,
        name="file_remove",
    ),
    path("library/profiles/<library_id:pk>/", views.profile_detail, name="profile"),
]

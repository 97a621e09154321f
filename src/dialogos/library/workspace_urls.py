"""Library: URLs under /<lang>/workspace/<slug>/ (the secretariat's pages)."""

from django.urls import URLPattern, URLResolver, path

import dialogos.library.converters  # noqa: F401 — registers <library_id:…>
from dialogos.library import workspace_views as views

app_name = "library_workspace"
urlpatterns: list[URLPattern | URLResolver] = [
    path("library/", views.index, name="index"),
    path("library/documents/", views.document_list, name="documents"),
    path("library/documents/new/", views.document_edit, name="document_create"),
    path("library/documents/<library_id:pk>/", views.document_detail, name="document"),
    path("library/documents/<library_id:pk>/edit/", views.document_edit, name="document_edit"),
    path(
        "library/documents/<library_id:pk>/delete/", views.document_delete, name="document_delete"
    ),
    path("library/files/<library_id:file_pk>/remove/", views.file_remove, name="file_remove"),
    path("library/review/", views.review, name="review"),
    path("library/practices/<library_id:pk>/", views.practice_detail, name="practice"),
    path("library/calls/", views.call_list, name="calls"),
    path("library/calls/new/", views.call_edit, name="call_create"),
    path("library/calls/<library_id:pk>/", views.call_detail, name="call"),
    path("library/calls/<library_id:pk>/edit/", views.call_edit, name="call_edit"),
    path("library/calls/<library_id:pk>/delete/", views.call_delete, name="call_delete"),
    path("library/profiles/", views.profile_list, name="profiles"),
    path("library/profiles/new/", views.profile_edit, name="profile_create"),
    path("library/profiles/<library_id:pk>/", views.profile_detail, name="profile"),
    path("library/profiles/<library_id:pk>/edit/", views.profile_edit, name="profile_edit"),
    path("library/profiles/<library_id:pk>/delete/", views.profile_delete, name="profile_delete"),
    path("library/topics/", views.topic_list, name="topics"),
    path("library/topics/new/", views.topic_edit, name="topic_create"),
    path("library/topics/<library_id:pk>/edit/", views.topic_edit, name="topic_edit"),
]

"""Library: URLs under /<lang>/ (public pages)."""

from django.urls import URLPattern, URLResolver, path

import dialogos.library.converters  # noqa: F401 — registers <library_id:…>
from dialogos.library import views

app_name = "library"
urlpatterns: list[URLPattern | URLResolver] = [
    path("library/", views.document_list, name="documents"),
    path("library/<library_id:document_id>/", views.document_detail, name="document"),
    path("library/files/<library_id:file_id>/", views.download, name="file"),
    path("practices/", views.practice_list, name="practices"),
    path("practices/<library_id:practice_id>/", views.practice_detail, name="practice"),
    path("practices/calls/", views.call_list, name="calls"),
    path("practices/calls/<library_id:call_id>/", views.call_detail, name="call"),
    path("profiles/", views.profile_list, name="profiles"),
    path("profiles/<library_id:profile_id>/", views.profile_detail, name="profile"),
]

"""Projects: URLs under /<lang>/account/ (member pages)."""

from django.urls import URLPattern, URLResolver

app_name = "projects_member"
urlpatterns: list[URLPattern | URLResolver] = []

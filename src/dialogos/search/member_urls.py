"""Search: URLs under /<lang>/account/ (member pages)."""

from django.urls import URLPattern, URLResolver

app_name = "search_member"
urlpatterns: list[URLPattern | URLResolver] = []

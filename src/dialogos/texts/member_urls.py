"""Outcome texts: URLs under /<lang>/account/ (member pages)."""

from django.urls import URLPattern, URLResolver

app_name = "texts_member"
urlpatterns: list[URLPattern | URLResolver] = []

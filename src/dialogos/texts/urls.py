"""Outcome texts: URLs under /<lang>/ (public pages)."""

from django.urls import URLPattern, URLResolver

app_name = "texts"
urlpatterns: list[URLPattern | URLResolver] = []

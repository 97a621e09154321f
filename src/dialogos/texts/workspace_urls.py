"""Outcome texts: URLs under /<lang>/workspace/<slug>/ (the secretariat's pages)."""

from django.urls import URLPattern, URLResolver

app_name = "texts_workspace"
urlpatterns: list[URLPattern | URLResolver] = []

"""News: URLs under /<lang>/workspace/<slug>/ (the secretariat's pages)."""

from django.urls import URLPattern, URLResolver

app_name = "news_workspace"
urlpatterns: list[URLPattern | URLResolver] = []

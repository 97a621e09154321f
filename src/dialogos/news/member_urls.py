"""News: URLs under /<lang>/account/ (member pages)."""

from django.urls import URLPattern, URLResolver

app_name = "news_member"
urlpatterns: list[URLPattern | URLResolver] = []

"""Action plans: URLs under /<lang>/account/ (member pages)."""

from django.urls import URLPattern, URLResolver

app_name = "plans_member"
urlpatterns: list[URLPattern | URLResolver] = []

"""Search: URLs under /<lang>/ (public pages)."""

from django.urls import URLPattern, URLResolver, path

from dialogos.search import views

app_name = "search"
urlpatterns: list[URLPattern | URLResolver] = [
    path("search/", views.search_page, name="search"),
    path("search/suggest/", views.suggest_fragment, name="suggest"),
    path("search/related/<slug:kind>/<int:pk>/", views.related_fragment, name="related"),
]

"""Outcome texts: public pages, under /<lang>/texts/."""

from django.urls import URLPattern, URLResolver, path

from dialogos.texts import views

app_name = "texts"
urlpatterns: list[URLPattern | URLResolver] = [
    path("texts/", views.text_list, name="list"),
    path("texts/<int:pk>/", views.text_detail, name="detail"),
]

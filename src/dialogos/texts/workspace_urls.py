"""Outcome texts: the secretariat's pages, under /<lang>/workspace/<slug>/texts/."""

from django.urls import URLPattern, URLResolver, path

from dialogos.texts import workspace_views as views

app_name = "texts_workspace"
urlpatterns: list[URLPattern | URLResolver] = [
    path("texts/", views.index, name="index"),
    path("texts/new/", views.text_edit, name="create"),
    path("texts/<int:pk>/", views.detail, name="detail"),
    path("texts/<int:pk>/edit/", views.text_edit, name="edit"),
    path("texts/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("texts/<int:pk>/next/", views.next_version, name="next_version"),
    path("texts/<int:pk>/adopt/", views.adopt, name="adopt"),
    path("texts/<int:pk>/compare/", views.compare, name="compare"),
    path("texts/<int:pk>/versions/<int:number>/", views.version, name="version"),
    path("texts/<int:pk>/versions/<int:number>/circulate/", views.circulate, name="circulate"),
    path(
        "texts/<int:pk>/versions/<int:number>/paragraphs/<int:ppk>/",
        views.paragraph_edit,
        name="paragraph",
    ),
    path(
        "texts/<int:pk>/versions/<int:number>/paragraphs/<int:ppk>/<str:action>/",
        views.paragraph_action,
        name="paragraph_action",
    ),
    path("texts/<int:pk>/circulations/<int:cpk>/", views.circulation, name="circulation"),
]

"""Projects: URLs under /<lang>/workspace/<slug>/ (the secretariat's pages)."""

from django.urls import path

from dialogos.projects import workspace_views as views

app_name = "projects_workspace"
urlpatterns = [
    path("projects/", views.index, name="index"),
    path("projects/new/", views.project_edit, name="create"),
    path("projects/places/", views.places, name="places"),
    path("projects/places/new/", views.place_edit, name="place_create"),
    path("projects/places/<int:place_pk>/", views.place_edit, name="place_edit"),
    path("projects/places/<int:place_pk>/delete/", views.place_delete, name="place_delete"),
    path("projects/types/", views.types, name="types"),
    path("projects/types/new/", views.type_edit, name="type_create"),
    path("projects/types/<int:type_pk>/", views.type_edit, name="type_edit"),
    path("projects/types/<int:type_pk>/delete/", views.type_delete, name="type_delete"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/edit/", views.project_edit, name="edit"),
    path("projects/<int:pk>/delete/", views.project_delete, name="delete"),
    path("projects/<int:pk>/funding/new/", views.funding_edit, name="funding_create"),
    path("projects/<int:pk>/funding/<int:funding_pk>/", views.funding_edit, name="funding_edit"),
    path(
        "projects/<int:pk>/funding/<int:funding_pk>/delete/",
        views.funding_delete,
        name="funding_delete",
    ),
    path("projects/<int:pk>/staff/new/", views.member_add, name="member_add"),
    path(
        "projects/<int:pk>/staff/<int:member_pk>/delete/",
        views.member_remove,
        name="member_remove",
    ),
    path("projects/<int:pk>/indicators/new/", views.indicator_edit, name="indicator_create"),
    path(
        "projects/<int:pk>/indicators/<int:indicator_pk>/",
        views.indicator_detail,
        name="indicator",
    ),
    path(
        "projects/<int:pk>/indicators/<int:indicator_pk>/edit/",
        views.indicator_edit,
        name="indicator_edit",
    ),
    path(
        "projects/<int:pk>/indicators/<int:indicator_pk>/delete/",
        views.indicator_delete,
        name="indicator_delete",
    ),
    path(
        "projects/<int:pk>/indicators/<int:indicator_pk>/categories/<int:category_pk>/delete/",
        views.category_delete,
        name="category_delete",
    ),
]

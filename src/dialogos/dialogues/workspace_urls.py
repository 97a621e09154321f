from django.urls import path

from dialogos.dialogues import workspace_views as views

app_name = "workspace"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.dialogue_overview, name="dialogue"),
    path("<slug:slug>/participations/", views.participations, name="participations"),
    path("<slug:slug>/participations/add/", views.participation_edit, name="participation_add"),
    path(
        "<slug:slug>/participations/<int:pk>/",
        views.participation_edit,
        name="participation_edit",
    ),
    path(
        "<slug:slug>/participations/<int:pk>/remove/",
        views.participation_remove,
        name="participation_remove",
    ),
    path("<slug:slug>/bodies/", views.bodies, name="bodies"),
    path("<slug:slug>/bodies/add/", views.body_edit, name="body_add"),
    path("<slug:slug>/bodies/<int:pk>/", views.body_edit, name="body"),
    path(
        "<slug:slug>/bodies/<int:pk>/members/add/",
        views.body_member_edit,
        name="body_member_add",
    ),
    path(
        "<slug:slug>/bodies/<int:pk>/members/<int:member_pk>/",
        views.body_member_edit,
        name="body_member_edit",
    ),
    path(
        "<slug:slug>/bodies/<int:pk>/members/<int:member_pk>/remove/",
        views.body_member_remove,
        name="body_member_remove",
    ),
    path("<slug:slug>/offices/", views.offices, name="offices"),
    path("<slug:slug>/offices/add/", views.office_edit, name="office_add"),
    path("<slug:slug>/offices/<int:pk>/", views.office_edit, name="office_edit"),
    path("<slug:slug>/offices/<int:pk>/remove/", views.office_remove, name="office_remove"),
    path("<slug:slug>/groupings/", views.groupings, name="groupings"),
    path(
        "<slug:slug>/groupings/<slug:grouping_slug>/add/",
        views.grouping_member_edit,
        name="grouping_member_add",
    ),
    path(
        "<slug:slug>/groupings/<slug:grouping_slug>/<int:pk>/",
        views.grouping_member_edit,
        name="grouping_member_edit",
    ),
    path(
        "<slug:slug>/groupings/<slug:grouping_slug>/<int:pk>/end/",
        views.grouping_member_end,
        name="grouping_member_end",
    ),
    path(
        "<slug:slug>/groupings/<slug:grouping_slug>/<int:pk>/remove/",
        views.grouping_member_remove,
        name="grouping_member_remove",
    ),
    path("<slug:slug>/people/", views.people, name="people"),
    path("<slug:slug>/people/invite/", views.invite, name="invite"),
    path("<slug:slug>/people/roles/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("<slug:slug>/audit/", views.audit_log, name="audit"),
]

"""The secretariat's meeting pages, under /<lang>/workspace/<slug>/meetings/."""

from django.urls import path

from dialogos.meetings import workspace_views as views

app_name = "meetings_workspace"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_edit, name="create"),
    path("schedule/", views.schedule_mass, name="schedule_mass"),
    path("schedule/<int:pk>/", views.decision, name="decision"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/quotas/", views.quotas, name="quotas"),
    path("<int:pk>/agenda/", views.agenda, name="agenda"),
    path("<int:pk>/agenda/<int:session_pk>/", views.session_edit, name="session_edit"),
    path("<int:pk>/agenda/<int:session_pk>/delete/", views.session_delete, name="session_delete"),
    path("<int:pk>/documents/", views.documents, name="documents"),
    path("<int:pk>/documents/<int:document_pk>/edit/", views.document_edit, name="document_edit"),
    path(
        "<int:pk>/documents/<int:document_pk>/upload/",
        views.document_upload,
        name="document_upload",
    ),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/registrations/", views.registrations, name="registrations"),
    path("<int:pk>/registrations/add/", views.registration_add, name="registration_add"),
    path(
        "<int:pk>/registrations/<int:registration_pk>/<str:action>/",
        views.registration_action,
        name="registration_action",
    ),
    path(
        "<int:pk>/credentials/<int:credentials_pk>/",
        views.credentials_decide,
        name="credentials_decide",
    ),
    path(
        "<int:pk>/credentials/<int:credentials_pk>/letter/",
        views.credentials_file,
        name="credentials_file",
    ),
    path("<int:pk>/registrations.csv", views.export_csv, name="export_csv"),
    path("<int:pk>/registrations.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/schedule/", views.schedule_change, name="schedule"),
]

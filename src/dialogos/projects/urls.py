"""Projects: URLs under /<lang>/ (public pages)."""

from django.urls import path

from dialogos.projects import views

app_name = "projects"
urlpatterns = [
    path("projects/", views.project_list, name="list"),
    path("projects/places/", views.place_list, name="places"),
    path("projects/<int:project_id>/", views.project_detail, name="detail"),
    path("projects/<int:project_id>/results.csv", views.results_csv, name="results_csv"),
]

"""Projects: URLs under /<lang>/account/ (member pages)."""

from django.urls import path

from dialogos.projects import member_views as views

app_name = "projects_member"
urlpatterns = [
    path("projects/", views.my_projects, name="mine"),
    path("projects/<int:pk>/", views.project_results, name="project"),
    path(
        "projects/<int:pk>/indicators/<int:indicator_pk>/",
        views.indicator_results,
        name="indicator",
    ),
]

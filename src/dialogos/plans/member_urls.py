"""Action plans: URLs under /<lang>/account/ (member pages)."""

from django.urls import path

from dialogos.plans import member_views as views

app_name = "plans_member"
urlpatterns = [
    path("reports/", views.my_reports, name="reports"),
    path("reports/<int:pk>/", views.report_form, name="report"),
]

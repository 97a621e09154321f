"""Action plans: URLs under /<lang>/ (public pages)."""

from django.urls import path

from dialogos.plans import views

app_name = "plans"
urlpatterns = [
    path("plans/", views.index, name="index"),
    path("plans/<slug:slug>/", views.plan_detail, name="dialogue"),
    path("plans/<slug:slug>/states/<str:code>/", views.state_page, name="state"),
    path("plans/<slug:slug>/<slug:plan_slug>/", views.plan_detail, name="plan"),
]

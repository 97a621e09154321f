from django.urls import path

from dialogos.dialogues import views

# The home page is routed in ``dialogos.urls`` so that its name stays the global ``home``.
app_name = "dialogues"
urlpatterns = [
    path("dialogues/<slug:slug>/", views.about, name="about"),
    path("dialogues/<slug:slug>/states/", views.states, name="states"),
    path("dialogues/<slug:slug>/governance/", views.governance, name="governance"),
    path("dialogues/<slug:slug>/bodies/<slug:body_slug>/", views.body, name="body"),
]

"""Member pages of meetings, under /<lang>/account/meetings/."""

from django.urls import path

from dialogos.meetings import member_views as views

app_name = "meetings_member"
urlpatterns = [
    path("", views.my_meetings, name="mine"),
    path("calendar/renew/", views.rotate_feed, name="rotate_feed"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration"),
    path(
        "registrations/<int:pk>/withdraw/",
        views.registration_withdraw,
        name="registration_withdraw",
    ),
    path("<int:pk>/apply/", views.apply, name="apply"),
    path("<int:pk>/nominate/", views.nominate, name="nominate"),
    path("<int:pk>/credentials/", views.credentials, name="credentials"),
]

from django.urls import path

from dialogos.meetings import views
from dialogos.meetings.feeds import MeetingsFeed

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("feed.atom", MeetingsFeed(), name="feed"),
    path("<int:meeting_id>/", views.meeting_detail, name="detail"),
    path("<int:meeting_id>/calendar.ics", views.meeting_ics, name="ics"),
    path("dialogue/<slug:slug>.ics", views.dialogue_ics, name="dialogue_ics"),
    path("feed/<str:token>.ics", views.person_ics, name="person_ics"),
    path("files/<int:file_id>/", views.meeting_file, name="file"),
]

"""Outcome texts: member pages, under /<lang>/account/texts/."""

from django.urls import URLPattern, URLResolver, path

from dialogos.texts import member_views as views

app_name = "texts_member"
urlpatterns: list[URLPattern | URLResolver] = [
    path("texts/", views.index, name="index"),
    path("texts/<int:pk>/", views.detail, name="detail"),
    path("texts/<int:pk>/comment/", views.comment, name="comment"),
    path("texts/<int:pk>/comments/<int:cpk>/delete/", views.delete_comment, name="delete_comment"),
    path("texts/<int:pk>/send/", views.send, name="send"),
    path("texts/<int:pk>/object/", views.object_to_silence, name="object"),
    path("texts/<int:pk>/compare/", views.compare, name="compare"),
]

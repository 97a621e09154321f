"""News: URLs under /<lang>/ (public pages)."""

from django.urls import URLPattern, URLResolver, path

from dialogos.news import feeds, views

app_name = "news"
urlpatterns: list[URLPattern | URLResolver] = [
    path("news/", views.news_list, name="list"),
    path("news/feed/", feeds.news_feed, name="feed"),
    path("news/review/", views.review_list, name="reviews"),
    path("news/review/<int:pk>/", views.review_detail, name="review"),
    path("news/subscribe/", views.subscribe, name="subscribe"),
    path("news/subscribe/sent/", views.subscribe_sent, name="subscribe_sent"),
    path("news/subscribe/confirm/<str:token>/", views.confirm, name="confirm"),
    path("news/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("news/images/<int:pk>/<str:size>.<str:ext>", views.news_image, name="image"),
    path("news/<int:pk>/<str:slug>/", views.news_detail, name="detail"),
    path("news/<slug:slug>/feed/", feeds.news_feed, name="dialogue_feed"),
]

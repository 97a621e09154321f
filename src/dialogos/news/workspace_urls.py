"""News: URLs under /<lang>/workspace/<slug>/ (the secretariat's pages)."""

from django.urls import URLPattern, URLResolver, path

from dialogos.news import workspace_views as views

app_name = "news_workspace"
PLATFORM = {"platform": True}
urlpatterns: list[URLPattern | URLResolver] = [
    path("news/", views.index, name="index"),
    path("news/new/", views.item_edit, name="create"),
    path("news/<int:pk>/", views.item_edit, name="edit"),
    path("news/<int:pk>/delete/", views.item_delete, name="delete"),
    path("news/<int:pk>/pictures/", views.images, name="images"),
    path("news/<int:pk>/pictures/<int:image_pk>/", views.image_edit, name="image_edit"),
    path("news/<int:pk>/pictures/<int:image_pk>/delete/", views.image_delete, name="image_delete"),
    path(
        "news/announcements/<int:decision_pk>/",
        views.announcement_draft,
        name="announcement_draft",
    ),
    path("news/review/", views.reviews, name="reviews"),
    path("news/review/<int:pk>/", views.review, name="review"),
    path("news/review/<int:pk>/edit/", views.review_edit, name="review_edit"),
    path("news/review/<int:pk>/<str:action>/", views.review_action, name="review_action"),
    path("news/review/<int:pk>/entries/<int:entry_pk>/", views.entry_edit, name="entry_edit"),
    path(
        "news/review/<int:pk>/entries/<int:entry_pk>/<str:action>/",
        views.entry_action,
        name="entry_action",
    ),
    path("news/subscribers/", views.subscribers, name="subscribers"),
    # The news of the whole platform: /<lang>/workspace/news/platform/ (slug "news", see
    # workspace_views.PLATFORM_SLUG); the same item pages, for the platform's operators.
    path("platform/", views.index, PLATFORM, name="platform_index"),
    path("platform/new/", views.item_edit, PLATFORM, name="platform_create"),
    path("platform/<int:pk>/", views.item_edit, PLATFORM, name="platform_edit"),
    path("platform/<int:pk>/delete/", views.item_delete, PLATFORM, name="platform_delete"),
    path("platform/<int:pk>/pictures/", views.images, PLATFORM, name="platform_images"),
    path(
        "platform/<int:pk>/pictures/<int:image_pk>/",
        views.image_edit,
        PLATFORM,
        name="platform_image_edit",
    ),
    path(
        "platform/<int:pk>/pictures/<int:image_pk>/delete/",
        views.image_delete,
        PLATFORM,
        name="platform_image_delete",
    ),
]

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from dialogos.api.api import api
from dialogos.core import views as core_views
from dialogos.dialogues import views as dialogue_views

# Apps whose member and workspace pages each mount under their own sub-paths.
NEW_APPS = ["search", "library", "texts", "plans", "projects", "news"]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", core_views.health, name="health"),
    path("api/v1/", api.urls),
    path("", core_views.root_redirect, name="root"),
]
urlpatterns += i18n_patterns(
    path("", dialogue_views.home, name="home"),
    path("", include("dialogos.dialogues.urls")),
    path("", include("dialogos.search.urls")),
    path("", include("dialogos.library.urls")),
    path("", include("dialogos.texts.urls")),
    path("", include("dialogos.plans.urls")),
    path("", include("dialogos.projects.urls")),
    path("", include("dialogos.news.urls")),
    path("account/", include("dialogos.people.urls")),
    path("meetings/", include("dialogos.meetings.urls")),
    path("account/meetings/", include("dialogos.meetings.member_urls")),
    *(path("account/", include(f"dialogos.{app}.member_urls")) for app in NEW_APPS),
    *(
        path("workspace/<slug:slug>/", include(f"dialogos.{app}.workspace_urls"))
        for app in NEW_APPS
    ),
    path("workspace/<slug:slug>/meetings/", include("dialogos.meetings.workspace_urls")),
    path("workspace/", include("dialogos.dialogues.workspace_urls")),
    prefix_default_language=True,
)

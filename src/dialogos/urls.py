from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from dialogos.core import views as core_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", core_views.health, name="health"),
    path("", core_views.root_redirect, name="root"),
]
urlpatterns += i18n_patterns(
    path("", include("dialogos.dialogues.urls")),
    path("account/", include("dialogos.people.urls")),
    path("workspace/", include("dialogos.dialogues.workspace_urls")),
    prefix_default_language=True,
)

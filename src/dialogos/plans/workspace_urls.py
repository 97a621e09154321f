"""Action plans: URLs under /<lang>/workspace/<slug>/ (the secretariat's pages)."""

from django.urls import path

from dialogos.plans import workspace_views as views

app_name = "plans_workspace"
urlpatterns = [
    path("plans/", views.index, name="index"),
    path("plans/new/", views.plan_edit, name="plan_create"),
    path("plans/statuses/", views.statuses, name="statuses"),
    path("plans/statuses/<int:status_pk>/", views.statuses, name="status_edit"),
    path("plans/statuses/<int:status_pk>/remove/", views.status_delete, name="status_delete"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/remove/", views.plan_delete, name="plan_delete"),
    path("plans/<int:pk>/recompute/", views.plan_recompute, name="plan_recompute"),
    path("plans/<int:pk>/items/new/", views.item_edit, name="item_create"),
    path("plans/<int:pk>/items/<int:item_pk>/", views.item_edit, name="item"),
    path("plans/<int:pk>/items/<int:item_pk>/remove/", views.item_delete, name="item_delete"),
    path("plans/<int:pk>/items/<int:item_pk>/links/", views.link_add, name="link_add"),
    path(
        "plans/<int:pk>/items/<int:item_pk>/indicators/new/",
        views.indicator_edit,
        name="indicator_create",
    ),
    path(
        "plans/<int:pk>/items/<int:item_pk>/indicators/<int:indicator_pk>/",
        views.indicator_edit,
        name="indicator",
    ),
    path(
        "plans/<int:pk>/items/<int:item_pk>/indicators/<int:indicator_pk>/remove/",
        views.indicator_delete,
        name="indicator_delete",
    ),
    path(
        "plans/<int:pk>/items/<int:item_pk>/indicators/<int:indicator_pk>/values/",
        views.value_add,
        name="value_add",
    ),
    path("plans/links/<int:link_pk>/remove/", views.link_delete, name="link_delete"),
    path("plans/values/<int:value_pk>/remove/", views.value_delete, name="value_delete"),
    path("plans/<int:pk>/cycles/new/", views.cycle_edit, name="cycle_create"),
    path("plans/<int:pk>/cycles/<int:cycle_pk>/edit/", views.cycle_edit, name="cycle_edit"),
    path("plans/cycles/<int:cycle_pk>/", views.cycle_detail, name="cycle"),
    path("plans/cycles/<int:cycle_pk>/<str:action>/", views.cycle_action, name="cycle_action"),
    path("plans/reports/<int:report_pk>/", views.report_review, name="report"),
]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "dialogos.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        """Load every app's ``search`` module (its sources register themselves), then listen
        to the saves and deletes of the registered models."""
        from django.utils.module_loading import autodiscover_modules

        from dialogos.search import signals

        autodiscover_modules("search")
        signals.connect_all()

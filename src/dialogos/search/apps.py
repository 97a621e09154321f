from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "dialogos.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        """Load every app's ``search`` module (its sources register themselves)."""
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("search")

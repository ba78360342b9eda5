from django.apps import AppConfig


class CatalogStatsConfig(AppConfig):
    name = "gongkai.catalogstats"
    label = "catalogstats"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gongkai.catalogstats import signals

        signals.connect()

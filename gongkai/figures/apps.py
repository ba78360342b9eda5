from django.apps import AppConfig


class FiguresConfig(AppConfig):
    name = "gongkai.figures"
    verbose_name = "统计汇总"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gongkai.figures import signals

        signals.connect()

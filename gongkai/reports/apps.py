from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "gongkai.reports"
    label = "reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Declaring the statistics registers them: every process has the whole registry once apps are ready.
        from gongkai.reports import stats2014, stats_fees, stats_requests, stats_table2  # noqa: F401

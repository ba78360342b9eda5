from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "gongkai.submissions"
    label = "submissions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Reports read submitted figures through this hook, so that they never import this app.
        from gongkai.reports import submitted
        from gongkai.submissions import rollup

        submitted.register(rollup)

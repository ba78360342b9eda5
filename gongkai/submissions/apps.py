from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "gongkai.submissions"
    label = "submissions"
    default_auto_field = "django.db.models.BigAutoField"

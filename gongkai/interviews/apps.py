from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "gongkai.interviews"
    label = "interviews"
    default_auto_field = "django.db.models.BigAutoField"

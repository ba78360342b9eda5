from typing import Any

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "gongkai.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gongkai.workdays.actions import calendar_changed

        calendar_changed.connect(_recompute_after_calendar_change, dispatch_uid="cases.recompute")


def _recompute_after_calendar_change(sender: Any, **kwargs: Any) -> None:
    """A corrected or newly entered official schedule moves running deadlines (statutory-reference §1)."""
    from gongkai.cases.transitions import refresh_open_cases

    refresh_open_cases("calendar")

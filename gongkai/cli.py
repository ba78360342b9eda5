"""The `gongkai` console command: runs Django management commands with gongkai's settings."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018  # loads the settings: a bad or missing variable stops here
    except ImproperlyConfigured as exc:
        # A configuration error is the operator's to fix: say what is wrong, without a traceback.
        sys.stderr.write(f"gongkai: 配置错误：{exc}\n")
        sys.exit(2)
    args = ["gongkai", *(sys.argv[1:] if argv is None else argv)]
    execute_from_command_line(args)


if __name__ == "__main__":
    main()

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
application = get_wsgi_application()

from gongkai.ops.serving import warm_up  # noqa: E402 — needs the settings configured above

warm_up()  # before this worker accepts its first request

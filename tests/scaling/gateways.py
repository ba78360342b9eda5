"""A mail gateway for the scale-out tests: it takes a little time, like a real one, and records which process
sent which message and when, one JSON line per send, in ``<data dir>/sends.jsonl``."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from django.conf import settings

from gongkai.notifications.models import Notification


class RecordingGateway:
    def send(self, notification: Notification) -> str:
        time.sleep(0.01)
        line = json.dumps({"id": notification.pk, "pid": os.getpid(), "at": time.time()})
        with (Path(settings.DATA_DIR) / "sends.jsonl").open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")
        return f"recorded:{notification.pk}"

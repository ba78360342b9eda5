from __future__ import annotations

from django.urls import path

from gongkai.mailbox import staff

app_name = "mailbox_staff"
urlpatterns = [
    path("", staff.queue, name="queue"),
    path("<int:pk>/", staff.letter_page, name="letter"),
]

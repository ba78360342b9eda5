from __future__ import annotations

from django.urls import path

from gongkai.mailbox import views

app_name = "mailbox"
urlpatterns = [
    path("", views.letter_list, name="list"),
    path("<int:pk>/", views.letter_detail, name="detail"),
    path("write/", views.write, name="write"),
    path("write/body/", views.write_find_body, name="write_find_body"),
    path("receipt/", views.receipt, name="receipt"),
    path("track/", views.track, name="track"),
]

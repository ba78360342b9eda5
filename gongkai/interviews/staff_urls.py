from __future__ import annotations

from django.urls import path

from gongkai.interviews import staff

app_name = "interviews_staff"
urlpatterns = [
    path("", staff.interview_list, name="list"),
    path("new/", staff.announce, name="announce"),
    path("<int:pk>/", staff.interview_page, name="detail"),
]

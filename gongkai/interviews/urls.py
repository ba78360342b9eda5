from __future__ import annotations

from django.urls import path

from gongkai.interviews import views

app_name = "interviews"
urlpatterns = [
    path("", views.interview_list, name="list"),
    path("<int:pk>/", views.interview_detail, name="detail"),
    path("<int:pk>/ask/", views.ask, name="ask"),
]

from __future__ import annotations

from django.urls import path

from gongkai.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/", views.intake, name="intake"),
    path("<int:pk>/", views.case, name="case"),
]

from __future__ import annotations

from django.urls import path

from gongkai.consultations import staff

app_name = "consultations_staff"
urlpatterns = [
    path("", staff.consultation_list, name="list"),
    path("new/", staff.create, name="create"),
    path("<int:pk>/", staff.consultation_page, name="detail"),
]

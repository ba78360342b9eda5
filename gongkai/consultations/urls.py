from __future__ import annotations

from django.urls import path

from gongkai.consultations import views

app_name = "consultations"
urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("<int:pk>/", views.consultation_detail, name="detail"),
    path("<int:pk>/comment/", views.comment, name="comment"),
]

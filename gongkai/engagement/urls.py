from __future__ import annotations

from django.urls import path

from gongkai.engagement import views

app_name = "interpretations"
urlpatterns = [
    path("", views.interpretation_list, name="list"),
    path("<int:pk>/", views.interpretation_detail, name="detail"),
]

from __future__ import annotations

from django.urls import path

from gongkai.hotline import views

app_name = "hotline_staff"
urlpatterns = [
    path("", views.tickets, name="tickets"),
    path("<int:pk>/", views.ticket, name="ticket"),
    path("import/", views.import_file, name="import"),
]

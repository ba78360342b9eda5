from __future__ import annotations

from django.urls import path

from gongkai.engagement import staff

app_name = "engagement_staff"
urlpatterns = [
    path("", staff.events, name="events"),
    path("events/<int:pk>/", staff.event_page, name="event"),
    path("posts/", staff.posts, name="posts"),
    path("interpretations/", staff.interpretations, name="interpretations"),
    path("interpretations/<int:pk>/", staff.interpretation_page, name="interpretation"),
]

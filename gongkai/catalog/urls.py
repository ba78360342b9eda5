from __future__ import annotations

from django.urls import path

from gongkai.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.catalog_list, name="list"),
    path("new/", views.new_draft, name="new"),
    path("<int:pk>/", views.item, name="item"),
    path("<int:pk>/edit/", views.edit_draft, name="edit"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_file, name="attachment"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/remove", views.attachment_remove, name="attachment_remove"
    ),
    path("vocabularies/", views.vocabulary_list, name="vocabularies"),
    path("vocabularies/<str:kind>/<int:pk>/", views.vocabulary_term, name="vocabulary_term"),
]

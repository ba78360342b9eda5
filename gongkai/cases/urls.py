from __future__ import annotations

from django.urls import path

from gongkai.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/", views.intake, name="intake"),
    path("export.xlsx", views.export_xlsx, name="export"),
    path("numbering/", views.numbering_page, name="numbering"),
    path("<int:pk>/", views.case, name="case"),
    path("<int:pk>/remedies/<str:what>", views.remedy_action, name="remedy_action"),
    path("<int:pk>/letters/<int:event_pk>.<str:fmt>", views.letter_file, name="letter_file"),
    path("<int:pk>/letters/<int:event_pk>/<str:what>", views.letter_action, name="letter_action"),
    path("<int:pk>/documents/<int:document_pk>", views.document_file, name="document_file"),
]

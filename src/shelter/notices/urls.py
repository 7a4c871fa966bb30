from django.urls import path

from shelter.notices import views

app_name = "notices"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("new/", views.notice_new, name="new"),
    path("import/", views.notice_import, name="import"),
    path("fetch/", views.notice_fetch, name="fetch"),
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/<int:pk>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("<int:pk>/", views.notice_detail, name="notice"),
    path("<int:pk>/edit/", views.notice_edit, name="edit"),
    path("<int:pk>/events/", views.event_add, name="event_add"),
    path("<int:pk>/documents/", views.document_add, name="document_add"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("matches/<int:pk>/decision/", views.match_decide, name="match_decide"),
    path("<int:pk>/assessment/", views.assessment, name="assessment"),
    path("<int:pk>/assessment/<str:indicator_id>/", views.review, name="review"),
    path("<int:pk>/assessment/<str:indicator_id>/evidence/", views.evidence_add, name="evidence_add"),
    path("<int:pk>/dossier/", views.dossier_page, name="dossier"),
    path("<int:pk>/dossier.pdf", views.dossier_pdf, name="dossier_pdf"),
    path("<int:pk>/ccf-annex.pdf", views.ccf_annex_pdf, name="ccf_annex_pdf"),
]

from django.urls import path

from shelter.connectors import views

app_name = "records"

urlpatterns = [
    path("import/", views.records_import, name="import"),
    path("export/", views.records_export, name="export"),
    path("reindex/", views.rebuild_indexes, name="reindex"),
]

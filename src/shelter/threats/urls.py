from django.urls import path

from shelter.threats import views

app_name = "threats"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.upload, name="upload"),
    path("check/", views.quick_check_page, name="check"),
    path("feeds/update/", views.feeds_update, name="feeds_update"),
    path("<int:pk>/", views.report_detail, name="report"),
    path("<int:pk>/record-incident/", views.record_incident, name="record_incident"),
]

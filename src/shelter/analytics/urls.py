from django.urls import path

from shelter.analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("charts/<slug:name>.<str:fmt>", views.chart, name="chart"),
    path("states/<str:code>/", views.state, name="state"),
    path("states/<str:code>/briefing.<str:fmt>", views.briefing_download, name="briefing"),
    path("agreements/new/", views.agreement_create, name="agreement_new"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
]

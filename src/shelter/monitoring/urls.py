from django.urls import path

from shelter.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
]

from django.urls import path

from shelter.network import views

app_name = "network"
urlpatterns = [
    path("<str:kind>/<int:pk>/", views.page, name="page"),
    path("<str:kind>/<int:pk>.json", views.data, name="data"),
]

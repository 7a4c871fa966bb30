from django.urls import path

from shelter.surveillance import views

app_name = "surveillance"
urlpatterns = [
    path("", views.vendors, name="vendors"),
    path("vendors/new/", views.vendor_edit, name="vendor_new"),
    path("vendors/<int:pk>/", views.vendor, name="vendor"),
    path("vendors/<int:pk>/edit/", views.vendor_edit, name="vendor_edit"),
    path("products/", views.products, name="products"),
    path("products/new/", views.product_edit, name="product_new"),
    path("products/<int:pk>/", views.product, name="product"),
    path("products/<int:pk>/edit/", views.product_edit, name="product_edit"),
    path("products/<int:pk>/incidents/", views.product_incident, name="product_incident"),
    path("deployments/", views.deployments, name="deployments"),
    path("deployments/new/", views.deployment_edit, name="deployment_new"),
    path("deployments/<int:pk>/", views.deployment, name="deployment"),
    path("deployments/<int:pk>/edit/", views.deployment_edit, name="deployment_edit"),
    path("licences/", views.licences, name="licences"),
    path("licences/new/", views.licence_edit, name="licence_new"),
    path("licences/<int:pk>/", views.licence, name="licence"),
    path("licences/<int:pk>/edit/", views.licence_edit, name="licence_edit"),
    path("assess/", views.assess, name="assess"),
    path("import/", views.import_records, name="import"),
    path("export/", views.export, name="export"),
]

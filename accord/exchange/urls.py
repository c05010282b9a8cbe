from django.urls import path

from accord.exchange import views

urlpatterns = [
    path("p/<int:pid>/export.json", views.export, name="insights-export"),
    path("p/import/", views.import_upload, name="exchange-import"),
    path("p/import/preview/", views.import_preview, name="exchange-import-preview"),
    path("p/import/create/", views.import_create, name="exchange-import-create"),
]

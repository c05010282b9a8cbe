from django.urls import path

from accord.charters import views

urlpatterns = [
    path("p/<int:pid>/design/", views.design_home, name="charters-home"),
    path("p/<int:pid>/design/cadence/", views.cadence_adopt, name="charters-cadence"),
    path("p/<int:pid>/design/propose/", views.propose, name="charters-propose"),
    path("p/<int:pid>/design/history/", views.history, name="charters-history"),
    path("p/<int:pid>/design/compare/", views.compare, name="charters-compare"),
    path("p/<int:pid>/design/revisions/<int:rid>/", views.revision_detail, name="charters-revision"),
    path("p/<int:pid>/design/revisions/<int:rid>/live/", views.revision_live, name="charters-revision-live"),
    path("p/<int:pid>/design/revisions/<int:rid>/ratify/", views.revision_ratify, name="charters-ratify"),
    path("p/<int:pid>/design/revisions/<int:rid>/withdraw/", views.revision_withdraw, name="charters-withdraw"),
    path("p/<int:pid>/design/measures/new/", views.measure_new, name="charters-measure-new"),
    path("p/<int:pid>/design/measures/<int:mid>/", views.measure_detail, name="charters-measure"),
]

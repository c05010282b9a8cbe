from django.urls import path

from accord.tensions import views

urlpatterns = [
    path("p/<int:pid>/tensions/", views.tension_list, name="tensions-list"),
    path("p/<int:pid>/tensions/<int:tid>/", views.tension_detail, name="tensions-detail"),
    path("p/<int:pid>/journal/", views.journal, name="tensions-journal"),
    path("p/<int:pid>/journal/<int:jid>/", views.journal_entry, name="tensions-journal-entry"),
]

from django.urls import path

from accord.alignment import views

urlpatterns = [
    path("p/<int:pid>/align/", views.align_home, name="alignment-home"),
    path("p/<int:pid>/align/objectives/new/", views.objective_create, name="alignment-objective-new"),
    path("p/<int:pid>/align/objectives/<int:oid>/", views.objective_detail, name="alignment-objective"),
    path("p/<int:pid>/align/decisions/", views.decision_list, name="alignment-decisions"),
    path("p/<int:pid>/align/decisions/new/", views.decision_new, name="alignment-decision-new"),
    path("p/<int:pid>/align/decisions/<int:did>/", views.decision_detail, name="alignment-decision"),
    path("p/<int:pid>/align/team-page/", views.team_page_publish, name="alignment-team-page-publish"),
    path("team/<str:token>/", views.team_page, name="alignment-team-page"),
]

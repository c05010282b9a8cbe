from django.urls import path

from accord.alignment import views

urlpatterns = [
    path("p/<int:pid>/align/", views.align_home, name="alignment-home"),
    path("p/<int:pid>/align/objectives/new/", views.objective_create, name="alignment-objective-new"),
    path("p/<int:pid>/align/objectives/<int:oid>/", views.objective_detail, name="alignment-objective"),
    path(
        "p/<int:pid>/align/objectives/<int:oid>/key-results/new/",
        views.key_result_add,
        name="alignment-key-result-add",
    ),
    path(
        "p/<int:pid>/align/objectives/<int:oid>/archive/", views.objective_archive, name="alignment-objective-archive"
    ),
    path(
        "p/<int:pid>/align/objectives/<int:oid>/restore/", views.objective_restore, name="alignment-objective-restore"
    ),
    path(
        "p/<int:pid>/align/key-results/<int:kid>/readings/new/",
        views.key_result_reading_add,
        name="alignment-reading-add",
    ),
    path("p/<int:pid>/align/decisions/", views.decision_list, name="alignment-decisions"),
    path("p/<int:pid>/align/decisions/new/", views.decision_new, name="alignment-decision-new"),
    path("p/<int:pid>/align/decisions/<int:did>/", views.decision_detail, name="alignment-decision"),
    path("p/<int:pid>/align/decisions/<int:did>/live/", views.decision_live, name="alignment-decision-live"),
    path("p/<int:pid>/align/decisions/<int:did>/sign/", views.decision_sign, name="alignment-decision-sign"),
    path("p/<int:pid>/align/decisions/<int:did>/object/", views.decision_object, name="alignment-decision-object"),
    path("p/<int:pid>/align/decisions/<int:did>/triage/", views.decision_triage, name="alignment-decision-triage"),
    path("p/<int:pid>/align/team-page/publish/", views.team_page_publish, name="alignment-team-page-publish"),
    path("p/<int:pid>/align/team-page/unpublish/", views.team_page_unpublish, name="alignment-team-page-unpublish"),
    path("p/<int:pid>/align/team-page/regenerate/", views.team_page_regenerate, name="alignment-team-page-regenerate"),
    path("team/<str:token>/", views.team_page, name="alignment-team-page"),
]

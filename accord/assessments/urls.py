from django.urls import path

from accord.assessments import views

T = "p/<int:pid>/assess/template/dimensions"

urlpatterns = [
    path("p/<int:pid>/assess/", views.assess_home, name="assessments-home"),
    path("p/<int:pid>/assess/start/", views.check_start, name="assessments-start"),
    path("p/<int:pid>/assess/template/", views.template_edit, name="assessments-template"),
    path(f"{T}/new/", views.dimension_add, name="assessments-dimension-add"),
    path(f"{T}/<int:dimension_id>/", views.dimension_update, name="assessments-dimension-update"),
    path(f"{T}/<int:dimension_id>/up/", views.dimension_up, name="assessments-dimension-up"),
    path(f"{T}/<int:dimension_id>/down/", views.dimension_down, name="assessments-dimension-down"),
    path(f"{T}/<int:dimension_id>/retire/", views.dimension_retire, name="assessments-dimension-retire"),
    path(f"{T}/<int:dimension_id>/restore/", views.dimension_restore, name="assessments-dimension-restore"),
    path("p/<int:pid>/assess/<int:hid>/", views.check_detail, name="assessments-check"),
    path("p/<int:pid>/assess/<int:hid>/answer/", views.check_answer, name="assessments-answer"),
    path("p/<int:pid>/assess/<int:hid>/draft/", views.check_draft, name="assessments-draft"),
    path("p/<int:pid>/assess/<int:hid>/live/", views.check_live, name="assessments-live"),
    path("p/<int:pid>/assess/<int:hid>/close/", views.check_close, name="assessments-close"),
]

from django.urls import path

from accord.assessments import views

urlpatterns = [
    path("p/<int:pid>/assess/", views.assess_home, name="assessments-home"),
    path("p/<int:pid>/assess/start/", views.check_start, name="assessments-start"),
    path("p/<int:pid>/assess/template/", views.template_edit, name="assessments-template"),
    path("p/<int:pid>/assess/<int:hid>/", views.check_detail, name="assessments-check"),
    path("p/<int:pid>/assess/<int:hid>/answer/", views.check_answer, name="assessments-answer"),
    path("p/<int:pid>/assess/<int:hid>/live/", views.check_live, name="assessments-live"),
    path("p/<int:pid>/assess/<int:hid>/close/", views.check_close, name="assessments-close"),
]

from django.urls import path

from sessions_app.views import groups

urlpatterns = [
    path("groups/", groups.group_list, name="group_list"),
    path("groups/new/", groups.group_new, name="group_create"),
    path("groups/<int:pk>/", groups.group_detail, name="group_detail"),
    path("groups/<int:pk>/members/new/", groups.group_member_new, name="group_member_add"),
    path("groups/members/<int:pk>/exit/", groups.group_member_exit_view, name="group_member_exit"),
    path("groups/<int:pk>/sessions/new/", groups.group_session_new, name="group_session_create"),
    path("sessions/<int:pk>/attendance/", groups.group_attendance, name="group_attendance"),
]

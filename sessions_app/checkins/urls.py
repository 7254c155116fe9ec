from django.urls import path

from sessions_app.checkins import public_views, views

urlpatterns = [
    # The client's side: short, because a client may type it from the counselor's screen.
    path("c/", public_views.checkin_start, name="checkin_start"),
    path("c/<str:token>/", public_views.checkin_public, name="checkin_public"),
    path("c/<str:token>/stop/", public_views.checkin_stop, name="checkin_stop"),
    # The counselor's side
    path("clients/<int:pk>/checkins/new/", views.checkin_new, name="checkin_create"),
    path("clients/<int:pk>/checkins/schedule/", views.checkin_schedule, name="checkin_schedule"),
    path("checkins/<int:pk>/", views.checkin_detail, name="checkin_detail"),
    path("checkins/<int:pk>/show/", views.checkin_show, name="checkin_show"),
    path("checkins/<int:pk>/revoke/", views.checkin_revoke_view, name="checkin_revoke"),
    path("checkins/<int:pk>/seen/", views.checkin_seen, name="checkin_seen"),
]

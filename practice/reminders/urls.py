from django.urls import path

from practice.reminders import views as views

urlpatterns = [
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read-all/", views.notification_read_all, name="notification_read_all"),
    path(
        "notifications/preferences/",
        views.notification_preferences,
        name="notification_preferences",
    ),
    path("practice-admin/reminders/", views.admin_schedule, name="admin_schedule"),
    path("practice-admin/reminders/run/", views.admin_sweep_run, name="admin_sweep_run"),
    path(
        "practice-admin/reminders/retention/",
        views.retention_report,
        name="notification_retention_report",
    ),
]

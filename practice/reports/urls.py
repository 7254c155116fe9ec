from django.urls import path

from practice.reports import views

urlpatterns = [
    path("endings/", views.report_endings, name="report_endings"),
    path("endings.csv", views.report_endings_csv, name="report_endings_csv"),
    path("outcomes/", views.report_outcomes, name="report_outcomes"),
    path("outcomes.csv", views.report_outcomes_csv, name="report_outcomes_csv"),
    path("alliance/", views.report_alliance, name="report_alliance"),
    path("alliance.csv", views.report_alliance_csv, name="report_alliance_csv"),
    path("after/", views.report_after, name="report_after"),
    path("after.csv", views.report_after_csv, name="report_after_csv"),
]

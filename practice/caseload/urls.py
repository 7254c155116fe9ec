from django.urls import path

from practice.caseload import views

urlpatterns = [
    path("caseload/", views.caseload, name="counselor_home"),
    path("clients/<int:pk>/", views.client_detail, name="client_detail"),
]

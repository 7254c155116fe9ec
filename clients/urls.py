from django.urls import path

from .views import caseload

urlpatterns = [
    path("caseload/", caseload.caseload, name="counselor_home"),
    path("clients/<int:pk>/", caseload.client_detail, name="client_detail"),
]

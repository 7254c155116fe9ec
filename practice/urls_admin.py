from django.urls import path

from . import views_admin

urlpatterns = [
    path("", views_admin.admin_home, name="admin_home"),
]

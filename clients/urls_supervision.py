from django.urls import path

from .views import supervision

urlpatterns = [
    path("", supervision.review_board, name="supervisor_home"),
]

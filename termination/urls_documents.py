from django.urls import path

from termination.views import documents

urlpatterns = [
    path("clients/<int:client_pk>/documents/", documents.client_documents, name="client_documents"),
    path(
        "endings/<int:pk>/documents/<slug:kind>/new/", documents.document_new, name="document_new"
    ),
    path("documents/<int:pk>/download/", documents.document_download, name="document_download"),
    path("documents/<int:pk>/retry/", documents.document_retry, name="document_retry"),
    path("documents/letterhead/", documents.letterhead, name="letterhead"),
    path("documents/letterhead/preview/", documents.letterhead_preview, name="letterhead_preview"),
]

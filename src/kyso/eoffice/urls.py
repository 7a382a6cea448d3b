from django.urls import path

from . import views

app_name = "eoffice"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("out/<uuid:pk>/", views.outgoing, name="outgoing"),
    path("out/<uuid:pk>/status.json", views.outgoing_status, name="outgoing-status"),
    path("out/<uuid:pk>/<str:kind>.pdf", views.outgoing_file, name="outgoing-file"),
    path("in/new/", views.receive, name="receive"),
    path("in/<uuid:pk>/", views.incoming, name="incoming"),
    path("in/<uuid:pk>/<str:kind>.pdf", views.incoming_file, name="incoming-file"),
    path("attachments/<int:pk>/", views.attachment_file, name="attachment"),
    path("book.xlsx", views.book_xlsx, name="book-xlsx"),
]

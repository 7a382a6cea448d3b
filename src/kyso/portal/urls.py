from django.urls import path, re_path

from . import signing_views, views

CODE = r"(?P<code>[0-9A-Za-z.\-]+)"
app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("procedures/", views.procedures, name="procedures"),
    path("status/", views.status_lookup, name="status"),
    path("submit/", views.submit, name="submit"),
    path("submit/sign/prepare/", signing_views.prepare, name="sign-prepare"),
    path("submit/sign/complete/", signing_views.complete, name="sign-complete"),
    path("desk/", views.desk, name="desk"),
    path("statistics/", views.statistics, name="statistics"),
    re_path(rf"^d/{CODE}/$", views.dossier, name="dossier"),
    re_path(rf"^d/{CODE}/documents/(?P<doc_id>[0-9]+)/$", views.document, name="document"),
    re_path(rf"^d/{CODE}/files/(?P<file_id>[0-9]+)/$", views.dossier_file, name="file"),
    re_path(rf"^d/{CODE}/control-slip/$", views.control_slip, name="control-slip"),
]

from django.urls import path, re_path

from . import ui, views

app_name = "lifecycle"
urlpatterns = [
    path("", views.index, name="index"),
    path("requests/new/", views.new_request, name="new-request"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/edit/", ui.edit_request, name="edit-request"),
    re_path(r"^requests/(?P<pk>\d+)/attachments/(?P<which>seal_registration|title_confirmation)/$", views.attachment,
            name="attachment"),
    path("requests/<int:pk>/signed-record/", ui.signed_record, name="signed-record"),
    path("requests/<int:pk>/<str:action>/", views.request_action, name="request-action"),
    re_path(r"^forms/(?P<kind>01|02)/(?P<pk>\d+)\.(?P<fmt>pdf|docx|xlsx)$", views.form, name="form"),
    path("records/<int:pk>/", views.record, name="record"),
    path("lists/", views.lists, name="lists"),
    path("lists/<int:pk>/", views.list_detail, name="list"),
    path("certificates/<int:pk>/", views.certificate, name="certificate"),
    path("revocations/<int:pk>/", views.revocation, name="revocation"),
    path("devices/", views.devices, name="devices"),
    path("campaign/", views.campaign, name="campaign"),
    path("bulk/", views.bulk_page, name="bulk"),
    path("certificates/", ui.certificates, name="certificates"),
    path("import/", ui.import_register, name="import"),
    path("lists/<int:pk>/export.zip", ui.export_package, name="export"),
    path("ca-import/", ui.ca_import, name="ca-import"),
    re_path(r"^forms/(?P<kind>03|04|05)/(?P<pk>\d+)\.(?P<fmt>pdf|docx)$", ui.form, name="form-more"),
]

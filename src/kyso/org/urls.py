from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("units/", views.unit_tree, name="units"),
    path("units/new/", views.unit_edit, name="unit-new"),
    path("units/<str:code>/", views.unit_detail, name="unit"),
    path("units/<str:code>/edit/", views.unit_edit, name="unit-edit"),
    path("people/", views.person_list, name="people"),
    path("people/new/", views.person_edit, name="person-new"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("import/", views.import_view, name="import"),
    path("contact-changes/<int:pk>/", views.contact_change, name="contact-change"),
]

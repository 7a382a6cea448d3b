from django.conf import settings


def kyso(request):
    user = getattr(request, "user", None)
    roles = []
    if user is not None and user.is_authenticated:
        from kyso.accounts.scope import role_labels

        roles = role_labels(user)
    public_nav = []
    if user is None or not user.is_authenticated:
        from kyso.core.nav import links_for

        public_nav = links_for(None)
    return {"KYSO_VERSION": settings.KYSO_VERSION, "kyso_roles": roles, "public_nav": public_nav}

"""Template context of every page: version, the user's roles, the public menu."""

from django.conf import settings

from . import authz
from .nav import links_for


def kyso(request):
    user = getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    return {"KYSO_VERSION": settings.KYSO_VERSION, "kyso_roles": authz.role_labels(user) if authenticated else [],
            "public_nav": [] if authenticated else links_for(None)}

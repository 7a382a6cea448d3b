"""DRF permission: a view names the permission it needs; the role table decides."""

from rest_framework.permissions import BasePermission

from kyso.core import authz


class HasKysoPermission(BasePermission):
    """`required_permission` on the view (or a dict per action) must be held somewhere.

    Object scope (which units) is enforced by the view's queryset (`kyso.core.authz.scope_q`).
    """

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        perm = getattr(view, "required_permission", None)
        if isinstance(perm, dict):
            perm = perm.get(getattr(view, "action", None) or request.method.lower(), perm.get("default"))
        if perm is None:
            return True
        return authz.has_permission_anywhere(request.user, perm)

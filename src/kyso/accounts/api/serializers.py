"""The accounts API's shapes: who am I (account, staff record, roles with their units, permissions) and API
tokens — listed without their secret, and the new one with its secret, shown once."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import scope, tokens
from ..models import MAX_TOKEN_DAYS, ApiToken
from ..roles import Role


class RoleAssignmentSerializer(serializers.Serializer):
    role = serializers.CharField()
    label = serializers.SerializerMethodField()
    unit = serializers.CharField(source="unit.code")

    def get_label(self, assignment) -> str:
        return str(Role(assignment.role).label)


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField(source="display_name")
    person_id = serializers.IntegerField(allow_null=True)
    unit = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField()

    def get_unit(self, user) -> str | None:
        return user.person.unit.code if user.person_id else None

    @extend_schema_field(RoleAssignmentSerializer(many=True))
    def get_roles(self, user):
        return RoleAssignmentSerializer(user.role_assignments.filter(is_active=True).select_related("unit"),
                                        many=True).data

    def get_permissions(self, user) -> list[str]:
        return sorted(scope.permissions(user))


class TokenSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = ApiToken
        fields = ["key_id", "name", "owner", "scopes", "created_at", "expires_at", "revoked_at", "last_used_at"]


class TokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    days = serializers.IntegerField(min_value=1, max_value=MAX_TOKEN_DAYS, default=MAX_TOKEN_DAYS)
    scopes = serializers.ListField(child=serializers.CharField(max_length=40), min_length=1, max_length=30,
                                   help_text="'<area>:read' or '<area>:write'; area one of: * " + " ".join(tokens.AREAS))


class NewTokenSerializer(serializers.Serializer):
    """A token just issued; `token` is its secret, which Kyso keeps only as a hash and never shows again."""

    key_id = serializers.CharField()
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()
    scopes = serializers.ListField(child=serializers.CharField())

"""People in the admin: editors create them, disable them and set their role, within limits.

Superusers keep Django's whole user admin. Editors (``view/add/change_user``,
migration 0017) get a narrower one: a person is a username, a name, an email,
one of the three roles (viewer, fact-checker, editor) and active or not. No
superuser or staff flags, no permissions or other groups, superusers are
read-only to them, and nobody is deleted (their history names them): a
person who leaves is disabled, which also revokes their API tokens. Roles
and disabling go through claims/services/accounts.py, like
``manage.py tracker_user``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.http import HttpRequest

from claims.services.accounts import ROLE_GROUPS, user_set_active, user_set_role

User = get_user_model()
ROLE_CHOICES = [(role, role.capitalize()) for role in ROLE_GROUPS]
ROLE_OF_GROUP = {group: role for role, group in ROLE_GROUPS.items()}


def role_of(user: Any) -> str:
    names = [ROLE_OF_GROUP[g.name] for g in user.groups.all() if g.name in ROLE_OF_GROUP]
    return ", ".join(names)


class PersonCreationForm(UserCreationForm):
    role = forms.ChoiceField(choices=ROLE_CHOICES, help_text="What this person may do: see docs/admin.md.")

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")


class PersonChangeForm(UserChangeForm):
    role = forms.ChoiceField(choices=ROLE_CHOICES)

    class Meta(UserChangeForm.Meta):
        model = User
        fields = ("username", "password", "first_name", "last_name", "email", "is_active")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = [role for role, _ in ROLE_CHOICES if role in role_of(self.instance).split(", ")]
        self.fields["role"].initial = current[0] if current else None
        if "is_active" in self.fields:  # absent when the page is read-only (a superuser, to an editor)
            self.fields["is_active"].help_text = "Untick to disable the login; their API tokens are revoked too."


admin.site.unregister(User)


@admin.register(User)
class PeopleAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "is_active", "last_login")
    list_filter = ("is_active", "groups", "is_superuser")

    @admin.display(description="Role")
    def role(self, user: Any) -> str:
        return "superuser" if user.is_superuser else role_of(user)

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("groups")

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        if obj is None:
            return ((None, {"classes": ("wide",), "fields": ("username", "email", "role", "password1", "password2")}),)
        return (
            (None, {"fields": ("username", "password")}),
            ("Person", {"fields": ("first_name", "last_name", "email")}),
            ("Access", {"fields": ("role", "is_active")}),
        )

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if not request.user.is_superuser:
            kwargs["form"] = PersonChangeForm if obj is not None else PersonCreationForm
        return super().get_form(request, obj, change=change, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Status history names its authors; a person who leaves is disabled, not deleted.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if "role" in form.cleaned_data:
            obj.is_staff = True  # every role works in the admin, which shows what the role allows
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        user = form.instance
        if "role" in form.cleaned_data:
            user_set_role(username=user.username, role=form.cleaned_data["role"])
        if change and "is_active" in form.changed_data and not user.is_active:
            user_set_active(username=user.username, active=False)

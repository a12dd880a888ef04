"""Django admin for geography, user profiles and the institution registry."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from lifelong_learning.history import ChangeReasonAdminMixin
from lifelong_learning.numbers import NumbersAdminMixin
from lifelong_learning.roles import Role

from .models import Commune, FormerProvince, Institution, Province, UserProfile


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "division_type"]
    list_filter = ["division_type"]
    search_fields = ["code", "name", "name_search"]
    ordering = ["name_sort"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "division_type", "province"]
    list_filter = ["division_type", "province"]
    list_select_related = ["province"]
    search_fields = ["code", "name", "name_search"]
    ordering = ["name_sort"]


@admin.register(FormerProvince)
class FormerProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province"]
    list_filter = ["province"]
    list_select_related = ["province"]
    search_fields = ["code", "name", "name_search"]
    ordering = ["code"]


@admin.register(UserProfile)
class UserProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "province"]
    list_filter = ["province"]
    list_select_related = ["user", "province"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "province"]


class ActiveInYearFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("open", _("Open")), ("closed", _("Closed"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(closed_year__isnull=True)
        if self.value() == "closed":
            return queryset.filter(closed_year__isnull=False)
        return queryset


@admin.register(Institution)
class InstitutionAdmin(ChangeReasonAdminMixin, NumbersAdminMixin, SimpleHistoryAdmin):
    list_display = Institution.DATA_FIELDS
    list_filter = [ActiveInYearFilter, "category", "province", "former_province"]
    list_select_related = ["province", "commune", "former_province"]
    search_fields = ["code", "name", "name_search"]
    autocomplete_fields = ["province", "commune", "former_province"]
    ordering = ["name_sort"]
    list_per_page = 50


class UserProfileInline(admin.StackedInline):
    model = UserProfile
    can_delete = False
    autocomplete_fields = ["province"]
    verbose_name_plural = _("province of a provincial officer")


_user_model = get_user_model()
if admin.site.is_registered(_user_model):
    admin.site.unregister(_user_model)


def _group_label(group: Group) -> str:
    """A role group by its role's name (the group's name is the role's code)."""
    return str(Role(group.name).label) if group.name in Role.values else group.name


_PERMISSION_ACTIONS = {
    "add": _("may add"),
    "change": _("may change"),
    "delete": _("may delete"),
    "view": _("may view"),
}


def _permission_label(permission: Permission) -> str:
    """A permission in the reader's language: Django stores the names of its
    own permissions in English ("Can add annual report")."""
    model = permission.content_type.model_class()
    action = permission.codename.split("_", 1)[0]
    if model is None:
        return permission.name
    if action in _PERMISSION_ACTIONS and permission.codename == (
        f"{action}_{model._meta.model_name}"
    ):
        words = _PERMISSION_ACTIONS[action]
    else:
        words = gettext(permission.name)
    return f"{capfirst(model._meta.verbose_name)} · {words}"


def _picker_labels(field, db_field) -> None:
    if db_field.name == "groups":
        field.label_from_instance = _group_label
    elif db_field.name in ("permissions", "user_permissions"):
        field.label_from_instance = _permission_label


class RoleFilter(admin.SimpleListFilter):
    """Users by role, named in the reader's language."""

    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        if self.value() not in Role.values:
            return queryset
        return queryset.filter(groups__name=self.value())


@admin.register(_user_model)
class PortalUserAdmin(UserAdmin):
    inlines = [UserProfileInline]
    list_filter = ["is_staff", "is_superuser", "is_active", RoleFilter]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        _picker_labels(field, db_field)
        return field


admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(GroupAdmin):
    """The role groups, named by their roles; their permissions are kept in
    step by ``role_groups_sync`` on every migrate."""

    list_display = ["role_name"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        _picker_labels(field, db_field)
        return field

    @admin.display(description=_("role"), ordering="name")
    def role_name(self, group):
        return _group_label(group)

"""Staff accounts: the built-in user admin, with the districts and company a role applies to.

Roles are Django groups (created by a migration); the user page assigns them, and the inline
below sets the scope. ``python manage.py grant_role`` does the same from the shell.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from communities.access.models import StaffScope

User = get_user_model()


class StaffScopeInline(admin.StackedInline):
    model = StaffScope
    can_delete = True
    extra = 0
    max_num = 1
    filter_horizontal = ["districts"]


class ScopedUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, StaffScopeInline]
    list_display = [*UserAdmin.list_display, "is_superuser"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("staff_scope")


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, ScopedUserAdmin)

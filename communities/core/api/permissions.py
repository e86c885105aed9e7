"""The API's default permission (its own module: REST framework's settings name it)."""

from rest_framework import permissions


class DjangoModelPermissionsOrAnonReadOnly(permissions.DjangoModelPermissionsOrAnonReadOnly):
    """DRF's: anyone reads, writing takes the model's add, change or delete permission.

    DRF's builds the view's queryset (``get_queryset``) on every request to learn its model,
    then finds that a read needs no permission at all. This one answers a method that needs
    none (a read, as ``perms_map`` says) before building anything: the same answer, without a
    queryset made and thrown away on each read of the API.
    """

    def has_permission(self, request, view):
        if self.perms_map.get(request.method) == []:
            user = request.user
            return bool(user and (user.is_authenticated or not self.authenticated_users_only))
        return super().has_permission(request, view)

"""``{% staff_desk %}``: the staff desk (``communities.reporting.desk``) on the admin's home."""

from django import template

register = template.Library()


@register.inclusion_tag("admin/communities/desk.html", takes_context=True)
def staff_desk(context) -> dict:
    # Imported here: template libraries load while ``core.admin`` builds its templates, and
    # the desk reads the admins' filters.
    from communities.reporting.desk import staff_desk as read_desk

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_active or not user.is_staff:
        return {"desk": None}
    return {"desk": read_desk(user)}

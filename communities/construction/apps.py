"""Construction supervision: parties (contractors, supervisors, designers), inspections, their
findings and rectification orders (整改)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConstructionConfig(AppConfig):
    name = "communities.construction"
    label = "construction"
    verbose_name = _("Construction supervision")

    def ready(self) -> None:
        # A major hazard stops its item: works cannot import this part, so it asks the guards
        # registered here whenever an item is validated (RenovationItem.clean()).
        from communities.construction.guards import acceptance_guard, major_hazard_guard
        from communities.works.guards import register_progress_guard

        register_progress_guard(major_hazard_guard)
        # An item becomes accepted only through an acceptance record (竣工验收).
        register_progress_guard(acceptance_guard)

"""The staff admin, one module per subject as in ``communities.models``.

Importing this package registers every model with the default admin site.
"""

from . import access, elevators, facilities, participation, places, property, renovation, repairs

__all__ = [
    "access",
    "elevators",
    "facilities",
    "participation",
    "places",
    "property",
    "renovation",
    "repairs",
]

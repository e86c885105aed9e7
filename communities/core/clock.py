"""The day and the local midnights every part counts by, in the site's time zone."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def today() -> date:
    """Today in the site's time zone (a service's default day)."""
    return timezone.localdate()


def local_midnight(day: date) -> datetime:
    """The instant ``day`` begins in the site's time zone: a bound an index on a date-time
    column serves (``__date`` would convert every row)."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def end_of_today() -> datetime:
    """Local midnight at the end of today: a deadline before it falls today or earlier."""
    return local_midnight(today() + timedelta(days=1))

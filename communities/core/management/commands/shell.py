"""``manage.py shell`` with Django's auto-imports of every model, except simple_history's
historical models (``HistoricalCommunity`` …): they live in no module's namespace, so Django
could not import them and said so ("20 objects could not be automatically imported") at every
start. They stay at hand as ``Community.history.model``."""

from django.apps import apps
from django.core.management.commands import shell
from simple_history.models import HistoricalChanges


class Command(shell.Command):
    def get_auto_imports(self):
        historical = {
            f"{model.__module__}.{model.__name__}"
            for model in apps.get_models()
            if issubclass(model, HistoricalChanges)
        }
        return [path for path in super().get_auto_imports() if path not in historical]

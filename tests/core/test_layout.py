"""The layout keeps every byte where it was, and every model says how it is scoped."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from communities.core.scoping import district_path, is_district_scoped

PARTS = [
    "core",
    "access",
    "places",
    "works",
    "elevators",
    "construction",
    "property",
    "repairs",
    "participation",
    "dossier",
    "reporting",
    "following",
    "site",
    "demo",
    "scale",
]


def domain_models():
    return [m for m in apps.get_app_config("communities").get_models() if not _historical(m)]


def _historical(model) -> bool:
    return model._meta.model_name.startswith("historical")


def test_every_part_is_an_app_and_no_part_owns_a_label_of_tables():
    for part in PARTS:
        config = apps.get_app_config(part)
        assert config.name == f"communities.{part}"
        assert list(config.get_models()) == []


def test_every_table_keeps_the_communities_label_and_its_name():
    models = apps.get_app_config("communities").get_models()
    assert len(domain_models()) >= 23
    for model in models:
        assert model._meta.app_label == "communities"
        assert model._meta.db_table == f"communities_{model._meta.model_name}"


@pytest.mark.django_db
def test_content_types_and_permissions_stay_under_the_label():
    labels = set(
        ContentType.objects.filter(
            model__in=[m._meta.model_name for m in domain_models()]
        ).values_list("app_label", flat=True)
    )
    assert labels == {"communities"}
    assert Permission.objects.filter(
        content_type__app_label="communities", codename="change_community"
    ).exists()


def test_a_model_that_reaches_a_district_declares_its_path():
    """A model with a foreign key to a scoped model is scoped too: forgetting
    ``district_path`` would make it city-wide, and the generated scope test would skip it."""
    for model in domain_models():
        parents = [
            field.related_model
            for field in model._meta.get_fields()
            if field.many_to_one and field.concrete and field.related_model is not None
        ]
        if any(is_district_scoped(parent) for parent in parents):
            assert is_district_scoped(model), f"{model.__name__} has no district_path"


def test_each_declared_path_leads_to_a_district():
    district = apps.get_model("communities", "District")
    for model in domain_models():
        path = district_path(model)
        if not path:
            continue
        current = model
        for hop in path.split("__"):
            current = current._meta.get_field(hop).related_model
        assert current is district, model.__name__

# ruff: noqa: E501 (the models' help texts, as makemigrations writes them)
"""Migrations 0001_initial … 0035_pho_photo_acceptance in one: what a fresh database runs.

A database that has applied 0001–0035 records this one as applied too (``replaces``); one that
has applied some of them runs the rest of the old chain. The old files stay: the steps below run
their code, so they go only when this squash stops replacing them (Django's squash procedure).
A fresh database built by either way has the same tables, columns, indexes, constraints, data
and permissions: only the order of the columns in a table and the ids of content types and
permissions differ.

**The schema** is the final state of the models as ``makemigrations`` writes a fresh initial
migration (Django 5.2.19), with the AddField, AddIndex and AddConstraint it writes after the
models (the foreign keys that close a cycle, then every index and constraint) folded into their
models' CreateModel, all of them created by one ``CreateModels`` step. One CreateModel after
another renders every model related to the one added again (with about a hundred models, most of
them related to the user model through their historical records: some 5,000 model renders, ten
seconds); ``CreateModels`` adds the models to the state together and renders them once.

**The data steps** are those of the old chain that matter on an empty database, run from the old
modules, in the old order (``STEPS``, one RunPython):

- 0002 ``seed``: the national renovation kinds (``works.kinds.NATIONAL_KINDS``);
- 0004 ``seed``: the two vote rules and Tai'an's subsidy rule;
- 0010 ``seed_roles``: the staff roles (groups) and their permissions;
- 0011 ``create_trigram_indexes``: PostgreSQL's ``pg_trgm`` and the communities' trigram indexes;
- 0017 ``grant_city_admins``: the subscriptions to the city's administrators;
- 0018 ``create_index``: PostgreSQL's ``search_gram_array`` function and the search grams index;
- 0020 ``seed_kind_measures`` and ``grant_role_permissions``: the kinds' survey measures, and the
  quantities, plans and returns in the roles;
- 0021 ``seed_regions``: Shandong and its cities;
- 0023 ``grant``: the objections in the roles;
- 0025 ``forwards``: the national categories (nothing to do while 0002 seeds the corrected list);
- 0028, 0030, 0032, 0034: ``access.role_grants.staff_role_grants`` of construction, the owners'
  payments, photos, and acceptance and settlement.

Left out, as they only rewrite rows a fresh database does not have: 0014 ``fill_sort_keys`` (the
sort keys of existing communities, buildings and households), 0018 ``fill_search_grams`` (the
search grams of existing communities) and 0024 ``appraisals_from_grades`` (an appraisal record
for each building graded before appraisals were records).

Each step that creates permissions sees the models of its own migration (``_AppsAsOf``), not all
of today's: 0010 gives the city's administrators every permission of the app and viewers every
view permission, of the models there were then; the models added since reach the roles only
through the later grants, as on the old chain.
"""

import functools
import importlib
from decimal import Decimal

import django.core.validators
import django.db.models.deletion
import django.db.models.expressions
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.db.migrations.operations.base import Operation, OperationCategory
from django.db.migrations.state import ProjectState

import communities.construction.acceptance
import communities.construction.models
import communities.construction.photo_models
import communities.core.files
import communities.elevators.models
import communities.places.models
import communities.repairs.models
import communities.works.models.plans

REPLACED = [
    "0001_initial",
    "0002_seed_national_kinds",
    "0003_elevator_votes_stages_subsidy",
    "0004_seed_elevator_rules",
    "0005_elevator_vote_rule_required",
    "0006_repair_requests",
    "0007_participation",
    "0008_location_pairs_and_non_negative_amounts",
    "0009_staff_scope",
    "0010_seed_staff_roles",
    "0011_national_scale_indexes",
    "0012_orderings_by_column",
    "0013_upload_checks",
    "0014_sort_keys",
    "0015_item_status_updated_index",
    "0016_one_money_field",
    "0017_fol_subscriptions",
    "0018_ops_search_grams",
    "0019_rep_report_form",
    "0020_ret_quantities_plans_returns",
    "0021_reg_regions",
    "0022_obj_objections",
    "0023_obj_objection_permissions",
    "0024_fw_building_appraisals",
    "0025_fw_national_categories",
    "0026_fe_maintenance_fund",
    "0027_con_construction",
    "0028_con_staff_roles",
    "0029_pay_owners_payments",
    "0030_pay_payment_permissions",
    "0031_pho_photos",
    "0032_pho_photo_roles",
    "0033_acc_acceptance_settlement",
    "0034_acc_staff_roles",
    "0035_pho_photo_acceptance",
]


class CreateModels(Operation):
    """Create models together: what their CreateModel operations do one after the other, with
    the models rendered once instead of after each. The models may refer to each other in any
    order; the tables are created by the CreateModel operations themselves. (``migrate
    --fake-initial`` looks for CreateModel operations, and does not fake this one.)"""

    category = OperationCategory.ADDITION

    def __init__(self, *operations):
        self.operations = operations

    def state_forwards(self, app_label, state):
        # With the rendered apps set aside, each CreateModel only records its model state; the
        # models are then rendered together, with every model related to them.
        apps = state.__dict__.pop("apps", None)
        for operation in self.operations:
            operation.state_forwards(app_label, state)
        if apps is not None:
            state.apps = apps
            state.reload_models(
                [(app_label, operation.name_lower) for operation in self.operations], delay=False
            )

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        for operation in self.operations:
            operation.database_forwards(app_label, schema_editor, from_state, to_state)
        # The foreign keys and indexes the schema editor keeps for the end of the migration, now:
        # the data steps after this one run on the whole schema, as they did on the old chain.
        deferred, schema_editor.deferred_sql = schema_editor.deferred_sql, []
        for sql in deferred:
            schema_editor.execute(sql)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        for operation in reversed(self.operations):
            operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"Create {len(self.operations)} models"

    @property
    def migration_name_fragment(self):
        return "create_models"

    def references_model(self, name, app_label):
        return any(operation.references_model(name, app_label) for operation in self.operations)


def _old(name):
    """The module of a replaced migration."""
    return importlib.import_module(f"communities.migrations.{name}")


@functools.cache
def _models_after():
    """{replaced migration: the app's model names once it had run}, from the old migrations'
    operations replayed on a project state (no model is rendered)."""
    state = ProjectState()
    after = {}
    for name in REPLACED:
        for operation in _old(name).Migration.operations:
            operation.state_forwards("communities", state)
        after[name] = frozenset(model for label, model in state.models if label == "communities")
    return after


class _ConfigAsOf:
    """The app's config in the migration state, listing only the given models."""

    def __init__(self, config, names):
        object.__setattr__(self, "_config", config)
        object.__setattr__(self, "_names", names)

    def get_models(self, include_auto_created=False, include_swapped=False):
        models = self._config.get_models(include_auto_created, include_swapped)
        return [model for model in models if model._meta.model_name in self._names]

    def __getattr__(self, name):
        return getattr(self._config, name)

    def __setattr__(self, name, value):
        setattr(self._config, name, value)


class _AppsAsOf:
    """The migration state's apps with this app's models cut to those of a replaced migration:
    ``create_contenttypes``, ``create_permissions`` and a step's "every permission of the app"
    see what they saw on the old chain."""

    def __init__(self, apps, names):
        self._apps = apps
        self._config = _ConfigAsOf(apps.get_app_config("communities"), names)

    def get_app_config(self, app_label):
        if app_label == "communities":
            return self._config
        return self._apps.get_app_config(app_label)

    def __getattr__(self, name):
        return getattr(self._apps, name)


def _as_of(name, code):
    """Run ``code``, a step of the replaced migration ``name``, with the models it knew."""

    def run(apps, schema_editor):
        return code(_AppsAsOf(apps, _models_after()[name]), schema_editor)

    run.__qualname__ = run.__name__ = f"{name}.{code.__name__}"
    return run


def _step(name, forwards, backwards=None, *, models_then=False):
    """A data step of a replaced migration: its functions ``forwards`` and ``backwards``."""
    module = _old(name)
    code = getattr(module, forwards)
    if models_then:
        code = _as_of(name, code)
    return code, getattr(module, backwards) if backwards else None


def _grants(name):
    """The one operation of a replaced migration, ``access.role_grants.staff_role_grants``."""
    (operation,) = _old(name).Migration.operations
    return _as_of(name, operation.code), operation.reverse_code


MODELS = [
    migrations.CreateModel(
        name="Acceptance",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "accepted_on",
                models.DateField(
                    validators=[communities.construction.acceptance._not_in_future],
                    verbose_name="date of the acceptance",
                ),
            ),
            (
                "conclusion",
                models.CharField(
                    choices=[
                        ("accepted", "Accepted"),
                        ("with_conditions", "Accepted with conditions"),
                        ("not_accepted", "Not accepted"),
                    ],
                    max_length=20,
                    verbose_name="conclusion",
                ),
            ),
            (
                "builder",
                models.CharField(
                    help_text="The employer (建设单位): the district's renovation office.",
                    max_length=200,
                    verbose_name="builder",
                ),
            ),
            ("note", models.TextField(blank=True, verbose_name="note")),
            (
                "recorded_on",
                models.DateField(
                    blank=True,
                    help_text="Set when the acceptance is recorded; it is then a decision.",
                    null=True,
                    verbose_name="recorded on",
                ),
            ),
            (
                "item",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="acceptances",
                    to="communities.renovationitem",
                    verbose_name="renovation item",
                ),
            ),
        ],
        options={
            "verbose_name": "acceptance",
            "verbose_name_plural": "acceptances",
            "ordering": ["-accepted_on", "-id"],
            "indexes": [
                models.Index(fields=["-accepted_on", "-id"], name="acceptance_latest"),
                models.Index(fields=["item", "recorded_on"], name="acceptance_item"),
            ],
            "constraints": [
                models.UniqueConstraint(
                    condition=models.Q(
                        ("conclusion__in", ["accepted", "with_conditions"]),
                        ("recorded_on__isnull", False),
                    ),
                    fields=("item",),
                    name="communities_acceptance_one_acceptance_per_item",
                    violation_error_message="This item has already been accepted.",
                )
            ],
        },
    ),
    migrations.CreateModel(
        name="Community",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            ("name", models.CharField(max_length=100, verbose_name="name")),
            (
                "name_sort",
                models.CharField(
                    blank=True,
                    default="",
                    editable=False,
                    help_text="Computed from the name, for ordering.",
                    max_length=255,
                    verbose_name="sort key",
                ),
            ),
            (
                "search_grams",
                models.TextField(
                    blank=True, default="", editable=False, verbose_name="search grams"
                ),
            ),
            (
                "subdistrict",
                models.CharField(blank=True, max_length=50, verbose_name="subdistrict"),
            ),
            (
                "neighbourhood",
                models.CharField(blank=True, max_length=50, verbose_name="neighbourhood committee"),
            ),
            ("address", models.CharField(blank=True, max_length=200, verbose_name="address")),
            (
                "latitude",
                models.DecimalField(
                    blank=True,
                    decimal_places=6,
                    max_digits=9,
                    null=True,
                    validators=[
                        django.core.validators.MinValueValidator(3.8),
                        django.core.validators.MaxValueValidator(53.6),
                    ],
                    verbose_name="latitude",
                ),
            ),
            (
                "longitude",
                models.DecimalField(
                    blank=True,
                    decimal_places=6,
                    max_digits=9,
                    null=True,
                    validators=[
                        django.core.validators.MinValueValidator(73.4),
                        django.core.validators.MaxValueValidator(135.1),
                    ],
                    verbose_name="longitude",
                ),
            ),
            (
                "year_built",
                models.PositiveSmallIntegerField(
                    blank=True,
                    null=True,
                    validators=[
                        django.core.validators.MinValueValidator(1949),
                        django.core.validators.MaxValueValidator(
                            communities.places.models.current_year
                        ),
                    ],
                    verbose_name="year built",
                ),
            ),
            (
                "buildings_count",
                models.PositiveIntegerField(
                    default=0,
                    help_text="As surveyed; the buildings entered below may be fewer.",
                    verbose_name="number of buildings",
                ),
            ),
            ("households", models.PositiveIntegerField(default=0, verbose_name="households")),
            (
                "floor_area_m2",
                models.DecimalField(
                    decimal_places=2,
                    default=0,
                    max_digits=12,
                    validators=[
                        django.core.validators.MinValueValidator(
                            0, message="This cannot be negative."
                        )
                    ],
                    verbose_name="gross floor area (m²)",
                ),
            ),
            (
                "renovation_year",
                models.PositiveSmallIntegerField(
                    blank=True,
                    null=True,
                    validators=[
                        django.core.validators.MinValueValidator(2000),
                        django.core.validators.MaxValueValidator(2100),
                    ],
                    verbose_name="renovation batch year",
                ),
            ),
            (
                "renovation_status",
                models.CharField(
                    choices=[
                        ("not_started", "Not started"),
                        ("planned", "Planned"),
                        ("under_construction", "Under construction"),
                        ("completed", "Completed"),
                    ],
                    default="not_started",
                    max_length=20,
                    verbose_name="renovation status",
                ),
            ),
            ("started_on", models.DateField(blank=True, null=True, verbose_name="started on")),
            ("completed_on", models.DateField(blank=True, null=True, verbose_name="completed on")),
            (
                "is_demonstration",
                models.BooleanField(default=False, verbose_name="demonstration project"),
            ),
            (
                "demonstration_note",
                models.CharField(blank=True, max_length=200, verbose_name="demonstration note"),
            ),
            ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
            ("updated_at", models.DateTimeField(auto_now=True, verbose_name="last updated")),
            (
                "district",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="communities",
                    to="communities.district",
                    verbose_name="district",
                ),
            ),
        ],
        options={
            "verbose_name": "community",
            "verbose_name_plural": "communities",
            "ordering": ["district__code", "name_sort", "name"],
            "indexes": [
                models.Index(
                    fields=["district", "renovation_status"], name="community_district_status"
                ),
                models.Index(
                    fields=["renovation_status", "renovation_year"], name="community_status_year"
                ),
                models.Index(fields=["renovation_year"], name="community_renovation_year"),
                models.Index(fields=["latitude"], name="community_latitude"),
                models.Index(fields=["longitude"], name="community_longitude"),
                models.Index(fields=["year_built"], name="community_year_built"),
                models.Index(fields=["name"], name="community_name"),
                models.Index(fields=["name_sort", "id"], name="community_name_sort"),
                models.Index(fields=["completed_on"], name="community_completed_on"),
            ],
            "constraints": [
                models.CheckConstraint(
                    condition=models.Q(("floor_area_m2__gte", 0)),
                    name="communities_community_floor_area_not_negative",
                    violation_error_message="The floor area cannot be negative.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        ("year_built__isnull", True), ("year_built__gte", 1949), _connector="OR"
                    ),
                    name="communities_community_year_built_from_1949",
                    violation_error_message="The year built must be 1949 or later.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        models.Q(("latitude__isnull", True), ("longitude__isnull", True)),
                        models.Q(
                            ("latitude__isnull", False),
                            ("longitude__isnull", False),
                            ("latitude__gte", 3.8),
                            ("latitude__lte", 53.6),
                            ("longitude__gte", 73.4),
                            ("longitude__lte", 135.1),
                        ),
                        _connector="OR",
                    ),
                    name="communities_community_location_in_china",
                    violation_error_message="Enter both latitude and longitude, inside China, or neither.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        ("completed_on__isnull", True),
                        ("started_on__isnull", True),
                        ("completed_on__gte", models.F("started_on")),
                        _connector="OR",
                    ),
                    name="communities_community_completed_after_started",
                    violation_error_message="The completion date cannot be before the start date.",
                ),
            ],
        },
    ),
    migrations.CreateModel(
        name="Open311Client",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            ("name", models.CharField(max_length=100, unique=True, verbose_name="name")),
            (
                "source",
                models.CharField(
                    choices=[
                        ("wechat", "WeChat one-tap report"),
                        ("hotline_12345", "Phone / 12345 hotline"),
                        ("grid_patrol", "Grid inspector on patrol"),
                        ("walk_in", "Walk-in"),
                        ("staff", "Staff"),
                        ("web", "Report form on the public site"),
                    ],
                    default="hotline_12345",
                    max_length=20,
                    verbose_name="source of its requests",
                ),
            ),
            (
                "key_prefix",
                models.CharField(editable=False, max_length=8, verbose_name="key begins"),
            ),
            ("key_hash", models.CharField(editable=False, max_length=64, unique=True)),
            ("is_active", models.BooleanField(default=True, verbose_name="active")),
            ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
            (
                "last_used_at",
                models.DateTimeField(
                    blank=True, editable=False, null=True, verbose_name="last used"
                ),
            ),
        ],
        options={
            "verbose_name": "Open311 client",
            "verbose_name_plural": "Open311 clients",
            "ordering": ["name"],
        },
    ),
    migrations.CreateModel(
        name="CollectionRule",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "region_name",
                models.CharField(
                    help_text="For example 泰安市.", max_length=50, verbose_name="region"
                ),
            ),
            (
                "region_code",
                models.CharField(
                    help_text="370900 covers every district of Tai'an (codes 3709…); 370000 the province; a district's own code only that district.",
                    max_length=6,
                    unique=True,
                    validators=[
                        django.core.validators.RegexValidator(
                            "^\\d{6}$", "Enter the 6-digit administrative code."
                        )
                    ],
                    verbose_name="region's administrative code",
                ),
            ),
            (
                "required_percent",
                models.DecimalField(
                    decimal_places=2,
                    default=Decimal("100"),
                    help_text="Of the owners' part, what must be paid before construction may start.",
                    max_digits=5,
                    validators=[
                        django.core.validators.MinValueValidator(Decimal("0")),
                        django.core.validators.MaxValueValidator(Decimal("100")),
                    ],
                    verbose_name="share collected before construction (%)",
                ),
            ),
            (
                "source",
                models.CharField(
                    blank=True,
                    help_text="The policy document.",
                    max_length=200,
                    verbose_name="source",
                ),
            ),
        ],
        options={
            "verbose_name": "collection rule",
            "verbose_name_plural": "collection rules",
            "ordering": ["region_code"],
            "constraints": [
                models.CheckConstraint(
                    condition=models.Q(
                        ("required_percent__gte", 0), ("required_percent__lte", 100)
                    ),
                    name="communities_collectionrule_percent_range",
                    violation_error_message="The share is a percentage from 0 to 100.",
                ),
                models.CheckConstraint(
                    condition=models.Q(("region_code__regex", "^[0-9]{6}$")),
                    name="communities_collectionrule_region_code_six_digits",
                    violation_error_message="The administrative code must be 6 digits.",
                ),
            ],
        },
    ),
    migrations.CreateModel(
        name="Building",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "label",
                models.CharField(
                    help_text="For example 3号楼.", max_length=30, verbose_name="building number"
                ),
            ),
            (
                "label_sort",
                models.CharField(
                    blank=True,
                    default="",
                    editable=False,
                    help_text="Computed from the building number, for ordering.",
                    max_length=255,
                    verbose_name="sort key",
                ),
            ),
            (
                "storeys",
                models.PositiveSmallIntegerField(
                    validators=[
                        django.core.validators.MinValueValidator(1),
                        django.core.validators.MaxValueValidator(60),
                    ],
                    verbose_name="storeys",
                ),
            ),
            (
                "entrance_units",
                models.PositiveSmallIntegerField(
                    default=1,
                    validators=[django.core.validators.MinValueValidator(1)],
                    verbose_name="entrance units",
                ),
            ),
            ("households", models.PositiveIntegerField(default=0, verbose_name="households")),
            (
                "year_built",
                models.PositiveSmallIntegerField(
                    blank=True,
                    null=True,
                    validators=[
                        django.core.validators.MinValueValidator(1949),
                        django.core.validators.MaxValueValidator(
                            communities.places.models.current_year
                        ),
                    ],
                    verbose_name="year built",
                ),
            ),
            (
                "safety_grade",
                models.CharField(
                    choices=[
                        ("unappraised", "Not appraised"),
                        ("A", "A: sound"),
                        ("B", "B: a few dangerous members"),
                        ("C", "C: partly dangerous"),
                        ("D", "D: whole building dangerous"),
                    ],
                    default="unappraised",
                    max_length=12,
                    verbose_name="safety grade",
                ),
            ),
            ("appraised_on", models.DateField(blank=True, null=True, verbose_name="appraised on")),
            ("appraiser", models.CharField(blank=True, max_length=100, verbose_name="appraiser")),
            (
                "community",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="buildings",
                    to="communities.community",
                    verbose_name="community",
                ),
            ),
        ],
        options={
            "verbose_name": "building",
            "verbose_name_plural": "buildings",
            "ordering": ["community_id", "label_sort", "label"],
            "indexes": [
                models.Index(
                    fields=["community", "label_sort", "label"], name="building_label_sort"
                ),
                models.Index(fields=["safety_grade"], name="building_safety_grade"),
            ],
            "constraints": [
                models.UniqueConstraint(
                    fields=("community", "label"),
                    name="communities_building_unique_label",
                    violation_error_message="This community already has a building with this number.",
                ),
                models.CheckConstraint(
                    condition=models.Q(("storeys__gte", 1), ("entrance_units__gte", 1)),
                    name="communities_building_storeys_and_units_positive",
                    violation_error_message="A building has at least one storey and one entrance unit.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        ("year_built__isnull", True), ("year_built__gte", 1949), _connector="OR"
                    ),
                    name="communities_building_year_built_from_1949",
                    violation_error_message="The year built must be 1949 or later.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        ("safety_grade", "unappraised"),
                        ("appraised_on__isnull", False),
                        _connector="OR",
                    ),
                    name="communities_building_grade_needs_appraisal_date",
                    violation_error_message="A safety grade needs the date of its appraisal.",
                ),
            ],
        },
    ),
    migrations.CreateModel(
        name="DesignPlan",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "batch_year",
                models.PositiveSmallIntegerField(
                    help_text="The plan covers the community's items of this batch.",
                    validators=[
                        django.core.validators.MinValueValidator(2000),
                        django.core.validators.MaxValueValidator(2100),
                    ],
                    verbose_name="renovation batch year",
                ),
            ),
            (
                "version",
                models.PositiveSmallIntegerField(
                    default=1,
                    validators=[django.core.validators.MinValueValidator(1)],
                    verbose_name="version",
                ),
            ),
            ("title", models.CharField(max_length=200, verbose_name="title")),
            (
                "designer",
                models.CharField(
                    help_text="The design institute or firm.",
                    max_length=100,
                    verbose_name="designer",
                ),
            ),
            (
                "summary",
                models.TextField(
                    blank=True,
                    help_text="What the plan does, in plain words for residents.",
                    validators=[django.core.validators.MaxLengthValidator(4000)],
                    verbose_name="summary",
                ),
            ),
            (
                "status",
                models.CharField(
                    choices=[
                        ("draft", "Draft"),
                        ("notice", "In public notice"),
                        ("approved", "Approved"),
                        ("superseded", "Superseded"),
                    ],
                    default="draft",
                    max_length=20,
                    verbose_name="status",
                ),
            ),
            (
                "notice_start",
                models.DateField(blank=True, null=True, verbose_name="public notice from"),
            ),
            (
                "notice_end",
                models.DateField(
                    blank=True,
                    help_text="The last day, included.",
                    null=True,
                    verbose_name="public notice until",
                ),
            ),
            (
                "comments_received",
                models.PositiveIntegerField(
                    default=0,
                    help_text="Comments residents sent in the notice.",
                    verbose_name="comments received",
                ),
            ),
            (
                "comments_summary",
                models.TextField(
                    blank=True,
                    help_text="The comments in short, and how the plan answered them.",
                    validators=[django.core.validators.MaxLengthValidator(4000)],
                    verbose_name="what residents said",
                ),
            ),
            ("approved_on", models.DateField(blank=True, null=True, verbose_name="approved on")),
            (
                "approval_reference",
                models.CharField(
                    blank=True,
                    help_text="The number of the approval document (批复文号).",
                    max_length=100,
                    verbose_name="approval reference",
                ),
            ),
            ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
            ("updated_at", models.DateTimeField(auto_now=True, verbose_name="last updated")),
            (
                "approved_by",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="approved by",
                ),
            ),
            (
                "community",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="design_plans",
                    to="communities.community",
                    verbose_name="community",
                ),
            ),
        ],
        options={
            "verbose_name": "design plan",
            "verbose_name_plural": "design plans",
            "ordering": ["community_id", "-batch_year", "-version"],
            "permissions": [("approve_designplan", "Can publish and approve design plans")],
            "indexes": [
                models.Index(fields=["status", "notice_end"], name="designplan_status_notice_end")
            ],
            "constraints": [
                models.UniqueConstraint(
                    fields=("community", "batch_year", "version"),
                    name="communities_designplan_unique_version",
                    violation_error_message="This community already has a plan of this version for this batch.",
                ),
                models.UniqueConstraint(
                    condition=models.Q(("status", "approved")),
                    fields=("community", "batch_year"),
                    name="communities_designplan_one_approved_per_batch",
                    violation_error_message="This community already has an approved plan for this batch.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        models.Q(("notice_start__isnull", True), ("notice_end__isnull", True)),
                        ("notice_end__gte", models.F("notice_start")),
                        _connector="OR",
                    ),
                    name="communities_designplan_notice_period",
                    violation_error_message="Give both days of the public notice, the last not before the first.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        models.Q(("status__in", ["notice", "approved"]), _negated=True),
                        ("notice_start__isnull", False),
                        _connector="OR",
                    ),
                    name="communities_designplan_noticed_before_approval",
                    violation_error_message="A plan in notice or approved has its notice period.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        models.Q(
                            models.Q(("status", "approved"), _negated=True),
                            ("approved_on__isnull", False),
                            _connector="OR",
                        ),
                        models.Q(
                            ("approved_on__isnull", True),
                            models.Q(
                                ("approved_on__gt", models.F("notice_end")),
                                ("notice_end__isnull", False),
                                ("status__in", ["approved", "superseded"]),
                            ),
                            _connector="OR",
                        ),
                    ),
                    name="communities_designplan_approved_after_notice",
                    violation_error_message="An approved plan has its approval date, after its public notice ended.",
                ),
            ],
        },
    ),
    migrations.CreateModel(
        name="DesignDocument",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            ("title", models.CharField(max_length=200, verbose_name="title")),
            (
                "file",
                communities.core.files.UploadField(
                    help_text="PDF, image, drawing, Word or Excel file of at most 50 MB.",
                    max_length=255,
                    upload_to=communities.works.models.plans.document_upload_to,
                    validators=[
                        django.core.validators.FileExtensionValidator(
                            ["pdf", "jpg", "jpeg", "png", "dwg", "doc", "docx", "xls", "xlsx"]
                        ),
                        communities.core.files.MaxFileSizeValidator(52428800),
                        communities.core.files.DocumentValidator(),
                    ],
                    verbose_name="file",
                ),
            ),
            (
                "uploaded_at",
                models.DateTimeField(default=django.utils.timezone.now, verbose_name="uploaded at"),
            ),
            (
                "plan",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="documents",
                    to="communities.designplan",
                    verbose_name="plan",
                ),
            ),
        ],
        options={
            "verbose_name": "design document",
            "verbose_name_plural": "design documents",
            "ordering": ["plan_id", "id"],
        },
    ),
    migrations.CreateModel(
        name="DesignPlanObjection",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            ("name", models.CharField(max_length=50, verbose_name="name")),
            (
                "room",
                models.CharField(
                    help_text="As on the door, for example 301.", max_length=30, verbose_name="room"
                ),
            ),
            (
                "phone",
                models.CharField(
                    max_length=30,
                    validators=[
                        django.core.validators.RegexValidator(
                            "^\\+?[0-9][0-9 \\-]{4,28}[0-9]$",
                            "Enter a phone number of digits, spaces and dashes.",
                        )
                    ],
                    verbose_name="phone",
                ),
            ),
            (
                "text",
                models.TextField(
                    validators=[django.core.validators.MaxLengthValidator(2000)],
                    verbose_name="objection",
                ),
            ),
            (
                "status",
                models.CharField(
                    choices=[
                        ("pending", "Awaiting moderation"),
                        ("published", "Published"),
                        ("hidden", "Hidden"),
                    ],
                    default="pending",
                    max_length=10,
                    verbose_name="moderation",
                ),
            ),
            (
                "moderation_reason",
                models.CharField(
                    blank=True,
                    help_text="Why the text is not shown to the public.",
                    max_length=300,
                    verbose_name="reason for hiding",
                ),
            ),
            (
                "moderated_at",
                models.DateTimeField(blank=True, null=True, verbose_name="moderated at"),
            ),
            (
                "answer",
                models.TextField(
                    blank=True,
                    help_text="Published with the notice, under the objection.",
                    validators=[django.core.validators.MaxLengthValidator(4000)],
                    verbose_name="answer",
                ),
            ),
            ("answered_on", models.DateField(blank=True, null=True, verbose_name="answered on")),
            (
                "filed_at",
                models.DateTimeField(default=django.utils.timezone.now, verbose_name="filed at"),
            ),
            (
                "answered_by",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="answered by",
                ),
            ),
            (
                "building",
                models.ForeignKey(
                    help_text="The filer's building, in the plan's community.",
                    on_delete=django.db.models.deletion.RESTRICT,
                    related_name="+",
                    to="communities.building",
                    verbose_name="building",
                ),
            ),
            (
                "moderated_by",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="moderated by",
                ),
            ),
            (
                "plan",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="objections",
                    to="communities.designplan",
                    verbose_name="design plan",
                ),
            ),
        ],
        options={
            "verbose_name": "objection to a design plan",
            "verbose_name_plural": "objections to design plans",
            "ordering": ["plan_id", "filed_at", "id"],
            "abstract": False,
            "indexes": [
                models.Index(fields=["plan", "filed_at", "id"], name="plan_objection_filed"),
                models.Index(fields=["status"], name="plan_objection_status"),
            ],
            "constraints": [
                models.CheckConstraint(
                    condition=models.Q(
                        models.Q(("status", "hidden"), _negated=True),
                        models.Q(("moderation_reason", ""), _negated=True),
                        _connector="OR",
                    ),
                    name="communities_designplanobjection_hidden_needs_reason",
                    violation_error_message="Give the reason for hiding the objection.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        models.Q(("answer", ""), ("answered_on__isnull", True)),
                        models.Q(
                            models.Q(("answer", ""), _negated=True), ("answered_on__isnull", False)
                        ),
                        _connector="OR",
                    ),
                    name="communities_designplanobjection_answer_with_date",
                    violation_error_message="An answer has its date, and a date its answer.",
                ),
            ],
        },
    ),
    migrations.CreateModel(
        name="District",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "code",
                models.CharField(
                    max_length=6,
                    unique=True,
                    validators=[
                        django.core.validators.RegexValidator(
                            "^\\d{6}$", "Enter the 6-digit administrative code."
                        )
                    ],
                    verbose_name="administrative code",
                ),
            ),
            ("name", models.CharField(max_length=50, verbose_name="name")),
        ],
        options={
            "verbose_name": "district",
            "verbose_name_plural": "districts",
            "ordering": ["code"],
            "constraints": [
                models.CheckConstraint(
                    condition=models.Q(("code__regex", "^[0-9]{6}$")),
                    name="communities_district_code_six_digits",
                    violation_error_message="The administrative code must be 6 digits.",
                )
            ],
        },
    ),
    migrations.CreateModel(
        name="AnnualPlan",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "year",
                models.PositiveSmallIntegerField(
                    validators=[
                        django.core.validators.MinValueValidator(2000),
                        django.core.validators.MaxValueValidator(2100),
                    ],
                    verbose_name="year",
                ),
            ),
            (
                "target_communities",
                models.PositiveIntegerField(default=0, verbose_name="target communities"),
            ),
            (
                "target_households",
                models.PositiveIntegerField(default=0, verbose_name="target households"),
            ),
            (
                "target_buildings",
                models.PositiveIntegerField(default=0, verbose_name="target buildings"),
            ),
            (
                "target_investment",
                models.DecimalField(
                    decimal_places=2,
                    default=0,
                    max_digits=14,
                    validators=[
                        django.core.validators.MinValueValidator(
                            0, message="This cannot be negative."
                        )
                    ],
                    verbose_name="target investment (yuan)",
                ),
            ),
            ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
            ("updated_at", models.DateTimeField(auto_now=True, verbose_name="last updated")),
            (
                "communities",
                models.ManyToManyField(
                    blank=True,
                    related_name="annual_plans",
                    to="communities.community",
                    verbose_name="planned communities",
                ),
            ),
            (
                "district",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="annual_plans",
                    to="communities.district",
                    verbose_name="district",
                ),
            ),
        ],
        options={
            "verbose_name": "annual plan",
            "verbose_name_plural": "annual plans",
            "ordering": ["-year", "district_id"],
            "indexes": [models.Index(fields=["year", "district"], name="annualplan_year_district")],
            "constraints": [
                models.UniqueConstraint(
                    fields=("district", "year"),
                    name="communities_annualplan_one_per_district_year",
                    violation_error_message="This district already has a plan for this year.",
                ),
                models.CheckConstraint(
                    condition=models.Q(("target_investment__gte", 0)),
                    name="communities_annualplan_investment_not_negative",
                    violation_error_message="The target investment cannot be negative.",
                ),
                models.CheckConstraint(
                    condition=models.Q(("year__gte", 2000), ("year__lte", 2100)),
                    name="communities_annualplan_year_range",
                    violation_error_message="The year must be between 2000 and 2100.",
                ),
            ],
        },
    ),
    migrations.CreateModel(
        name="ElevatorRetrofit",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "entrance_unit",
                models.PositiveSmallIntegerField(
                    help_text="For example 2 for 2单元.",
                    validators=[django.core.validators.MinValueValidator(1)],
                    verbose_name="entrance unit",
                ),
            ),
            (
                "storeys_served",
                models.PositiveSmallIntegerField(
                    validators=[django.core.validators.MinValueValidator(2)],
                    verbose_name="storeys served",
                ),
            ),
            (
                "stage",
                models.CharField(
                    choices=[
                        ("intention", "Intention"),
                        ("consent", "Owners' consent"),
                        ("design", "Design"),
                        ("public_notice", "Public notice"),
                        ("approval", "Approval"),
                        ("construction", "Construction"),
                        ("acceptance", "Acceptance"),
                        ("in_service", "In service"),
                        ("withdrawn", "Withdrawn"),
                    ],
                    default="intention",
                    max_length=20,
                    verbose_name="stage",
                ),
            ),
            (
                "intention_on",
                models.DateField(blank=True, null=True, verbose_name="intention registered on"),
            ),
            (
                "consent_on",
                models.DateField(blank=True, null=True, verbose_name="consent reached on"),
            ),
            (
                "design_on",
                models.DateField(blank=True, null=True, verbose_name="design started on"),
            ),
            (
                "notice_on",
                models.DateField(blank=True, null=True, verbose_name="public notice started on"),
            ),
            ("approved_on", models.DateField(blank=True, null=True, verbose_name="approved on")),
            (
                "construction_on",
                models.DateField(blank=True, null=True, verbose_name="construction started on"),
            ),
            ("accepted_on", models.DateField(blank=True, null=True, verbose_name="accepted on")),
            (
                "in_service_on",
                models.DateField(blank=True, null=True, verbose_name="in service since"),
            ),
            ("withdrawn_on", models.DateField(blank=True, null=True, verbose_name="withdrawn on")),
            (
                "total_cost",
                models.DecimalField(
                    decimal_places=2,
                    default=Decimal("0"),
                    max_digits=14,
                    verbose_name="total cost (yuan)",
                ),
            ),
            (
                "subsidy",
                models.DecimalField(
                    decimal_places=2,
                    default=Decimal("0"),
                    max_digits=14,
                    verbose_name="government subsidy (yuan)",
                ),
            ),
            (
                "other_funding",
                models.DecimalField(
                    decimal_places=2,
                    default=Decimal("0"),
                    help_text="Sponsors, utilities, other public money: anything that is neither the subsidy nor the owners' own money (the housing maintenance fund is the owners': give it below).",
                    max_digits=14,
                    verbose_name="other funding (yuan)",
                ),
            ),
            (
                "maintenance_fund",
                models.DecimalField(
                    decimal_places=2,
                    default=Decimal("0"),
                    help_text="The part of the owners' contribution (居民出资) paid from their housing maintenance fund (住房维修资金): the owners' own money, so it is inside the owners' part and their shares, not other funding.",
                    max_digits=14,
                    verbose_name="from the housing maintenance fund (yuan)",
                ),
            ),
            (
                "subsidy_override",
                models.BooleanField(
                    default=False,
                    help_text="The subsidy is not computed from the rules; give the reason.",
                    verbose_name="subsidy set by staff",
                ),
            ),
            (
                "subsidy_override_reason",
                models.CharField(
                    blank=True, max_length=300, verbose_name="reason for the subsidy set by staff"
                ),
            ),
            (
                "notice_days",
                models.PositiveSmallIntegerField(
                    default=communities.elevators.models.default_notice_days,
                    help_text="How long the public notice lasts before approval.",
                    validators=[django.core.validators.MinValueValidator(1)],
                    verbose_name="public notice days",
                ),
            ),
            (
                "permit_number",
                models.CharField(
                    blank=True,
                    help_text="Needed for construction when the total cost is above the threshold.",
                    max_length=50,
                    verbose_name="construction permit number",
                ),
            ),
            (
                "registration_number",
                models.CharField(
                    blank=True,
                    help_text="Needed before the elevator goes into service.",
                    max_length=50,
                    verbose_name="special-equipment registration number",
                ),
            ),
            (
                "floor_coefficients",
                models.JSONField(
                    blank=True,
                    default=dict,
                    help_text='Floors whose coefficient differs from the common scheme, e.g. {"2": "0.3"}. The common scheme: floors 1–2 pay 0, 3F 0.7, 4F 0.8 … 9F 1.3, +0.1 a floor above.',
                    verbose_name="floor coefficients",
                ),
            ),
            ("updated_at", models.DateTimeField(auto_now=True, verbose_name="last updated")),
            (
                "building",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="elevator_retrofits",
                    to="communities.building",
                    verbose_name="building",
                ),
            ),
            (
                "subsidy_rule",
                models.ForeignKey(
                    blank=True,
                    help_text="Set when the subsidy is computed; empty when overridden or none applies.",
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="retrofits",
                    to="communities.subsidyrule",
                    verbose_name="subsidy rule applied",
                ),
            ),
            (
                "vote_rule",
                models.ForeignKey(
                    default=communities.elevators.models.default_vote_rule,
                    help_text="The rule the owners' vote is counted by; the city's rule by default.",
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="retrofits",
                    to="communities.voterule",
                    verbose_name="vote rule",
                ),
            ),
        ],
        options={
            "verbose_name": "elevator retrofit",
            "verbose_name_plural": "elevator retrofits",
            "ordering": ["building_id", "entrance_unit"],
            "indexes": [
                models.Index(fields=["stage"], name="elevator_stage"),
                models.Index(fields=["in_service_on"], name="elevator_in_service_on"),
            ],
            "constraints": [
                models.UniqueConstraint(
                    condition=models.Q(("stage", "withdrawn"), _negated=True),
                    fields=("building", "entrance_unit"),
                    name="communities_elevatorretrofit_one_active_per_unit",
                    violation_error_message="This entrance unit already has an elevator retrofit under way.",
                ),
                models.CheckConstraint(
                    condition=models.Q(("storeys_served__gte", 2)),
                    name="communities_elevatorretrofit_at_least_two_storeys",
                    violation_error_message="An elevator serves at least 2 storeys.",
                ),
                models.CheckConstraint(
                    condition=models.Q(("total_cost__gte", 0), ("subsidy__gte", 0)),
                    name="communities_elevatorretrofit_money_not_negative",
                    violation_error_message="Cost and subsidy cannot be negative.",
                ),
                models.CheckConstraint(
                    condition=models.Q(("subsidy__lte", models.F("total_cost"))),
                    name="communities_elevatorretrofit_subsidy_within_cost",
                    violation_error_message="The subsidy cannot exceed the total cost.",
                ),
                models.CheckConstraint(
                    condition=models.Q(("other_funding__gte", 0)),
                    name="communities_elevatorretrofit_other_funding_not_negative",
                    violation_error_message="Other funding cannot be negative.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        (
                            "subsidy__lte",
                            django.db.models.expressions.CombinedExpression(
                                models.F("total_cost"), "-", models.F("other_funding")
                            ),
                        )
                    ),
                    name="communities_elevatorretrofit_funding_within_cost",
                    violation_error_message="The subsidy and other funding together cannot exceed the total cost.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        ("maintenance_fund__gte", 0),
                        (
                            "maintenance_fund__lte",
                            django.db.models.expressions.CombinedExpression(
                                django.db.models.expressions.CombinedExpression(
                                    models.F("total_cost"), "-", models.F("subsidy")
                                ),
                                "-",
                                models.F("other_funding"),
                            ),
                        ),
                    ),
                    name="communities_elevatorretrofit_maintenance_fund_within_owners_part",
                    violation_error_message="The maintenance fund pays part of the owners' part: from 0 to the total cost less the subsidy and other funding.",
                ),
                models.CheckConstraint(
                    condition=models.Q(("notice_days__gte", 1)),
                    name="communities_elevatorretrofit_notice_days_positive",
                    violation_error_message="A public notice lasts at least one day.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        ("subsidy_override", False),
                        models.Q(("subsidy_override_reason", ""), _negated=True),
                        _connector="OR",
                    ),
                    name="communities_elevatorretrofit_override_needs_reason",
                    violation_error_message="Give the reason for setting the subsidy by hand.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        models.Q(("stage", "in_service"), _negated=True),
                        models.Q(("registration_number", ""), _negated=True),
                        _connector="OR",
                    ),
                    name="communities_elevatorretrofit_in_service_needs_registration",
                    violation_error_message="An elevator in service needs its special-equipment registration number.",
                ),
                models.UniqueConstraint(
                    condition=models.Q(("registration_number", ""), _negated=True),
                    fields=("registration_number",),
                    name="communities_elevatorretrofit_unique_registration",
                    violation_error_message="Another elevator has this special-equipment registration number.",
                ),
            ],
        },
    ),
    migrations.CreateModel(
        name="GridAssignment",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "grid",
                models.CharField(
                    blank=True,
                    help_text="The grid's name, e.g. 第3网格.",
                    max_length=50,
                    verbose_name="grid",
                ),
            ),
            ("started_on", models.DateField(verbose_name="from")),
            ("ended_on", models.DateField(blank=True, null=True, verbose_name="until")),
            (
                "community",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="grid_assignments",
                    to="communities.community",
                    verbose_name="community",
                ),
            ),
            (
                "inspector",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="grid_assignments",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="grid inspector",
                ),
            ),
        ],
        options={
            "verbose_name": "grid assignment",
            "verbose_name_plural": "grid assignments",
            "ordering": ["community_id", "grid", "-started_on"],
            "indexes": [
                models.Index(
                    fields=["inspector", "community", "started_on"], name="grid_inspector_community"
                ),
                models.Index(fields=["community", "grid", "started_on"], name="grid_community"),
            ],
            "constraints": [
                models.CheckConstraint(
                    condition=models.Q(
                        ("ended_on__isnull", True),
                        ("ended_on__gte", models.F("started_on")),
                        _connector="OR",
                    ),
                    name="communities_gridassignment_end_after_start",
                    violation_error_message="An assignment cannot end before it starts.",
                )
            ],
        },
    ),
    migrations.CreateModel(
        name="HistoricalAcceptanceCondition",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            ("description", models.TextField(verbose_name="condition")),
            ("deadline", models.DateField(verbose_name="deadline")),
            (
                "met_on",
                models.DateField(
                    blank=True,
                    null=True,
                    validators=[communities.construction.acceptance._not_in_future],
                    verbose_name="met on",
                ),
            ),
            ("met_note", models.TextField(blank=True, verbose_name="how it was met")),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "acceptance",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.acceptance",
                    verbose_name="acceptance",
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
        ],
        options={
            "verbose_name": "historical acceptance condition",
            "verbose_name_plural": "historical acceptance conditions",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalAcceptanceDocument",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            ("title", models.CharField(max_length=200, verbose_name="title")),
            (
                "file",
                models.TextField(
                    help_text="PDF, image, drawing, Word or Excel file of at most 50 MB.",
                    max_length=255,
                    validators=[
                        django.core.validators.FileExtensionValidator(
                            ["pdf", "jpg", "jpeg", "png", "dwg", "doc", "docx", "xls", "xlsx"]
                        ),
                        communities.core.files.MaxFileSizeValidator(52428800),
                        communities.core.files.DocumentValidator(),
                    ],
                    verbose_name="file",
                ),
            ),
            (
                "uploaded_at",
                models.DateTimeField(default=django.utils.timezone.now, verbose_name="uploaded at"),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "acceptance",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.acceptance",
                    verbose_name="acceptance",
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
        ],
        options={
            "verbose_name": "historical acceptance document",
            "verbose_name_plural": "historical acceptance documents",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalAcceptanceResident",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            ("name", models.CharField(max_length=50, verbose_name="name")),
            (
                "entrance_unit",
                models.PositiveSmallIntegerField(
                    blank=True,
                    null=True,
                    validators=[django.core.validators.MinValueValidator(1)],
                    verbose_name="entrance unit",
                ),
            ),
            (
                "room_number",
                models.CharField(blank=True, max_length=20, verbose_name="room number"),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "acceptance",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.acceptance",
                    verbose_name="acceptance",
                ),
            ),
            (
                "building",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.building",
                    verbose_name="building",
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
        ],
        options={
            "verbose_name": "historical residents' representative",
            "verbose_name_plural": "historical residents' representatives",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalAnnualPlan",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            (
                "year",
                models.PositiveSmallIntegerField(
                    validators=[
                        django.core.validators.MinValueValidator(2000),
                        django.core.validators.MaxValueValidator(2100),
                    ],
                    verbose_name="year",
                ),
            ),
            (
                "target_communities",
                models.PositiveIntegerField(default=0, verbose_name="target communities"),
            ),
            (
                "target_households",
                models.PositiveIntegerField(default=0, verbose_name="target households"),
            ),
            (
                "target_buildings",
                models.PositiveIntegerField(default=0, verbose_name="target buildings"),
            ),
            (
                "target_investment",
                models.DecimalField(
                    decimal_places=2,
                    default=0,
                    max_digits=14,
                    validators=[
                        django.core.validators.MinValueValidator(
                            0, message="This cannot be negative."
                        )
                    ],
                    verbose_name="target investment (yuan)",
                ),
            ),
            ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
            (
                "updated_at",
                models.DateTimeField(blank=True, editable=False, verbose_name="last updated"),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "district",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.district",
                    verbose_name="district",
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
        ],
        options={
            "verbose_name": "historical annual plan",
            "verbose_name_plural": "historical annual plans",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalBuilding",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            (
                "label",
                models.CharField(
                    help_text="For example 3号楼.", max_length=30, verbose_name="building number"
                ),
            ),
            (
                "label_sort",
                models.CharField(
                    blank=True,
                    default="",
                    editable=False,
                    help_text="Computed from the building number, for ordering.",
                    max_length=255,
                    verbose_name="sort key",
                ),
            ),
            (
                "storeys",
                models.PositiveSmallIntegerField(
                    validators=[
                        django.core.validators.MinValueValidator(1),
                        django.core.validators.MaxValueValidator(60),
                    ],
                    verbose_name="storeys",
                ),
            ),
            (
                "entrance_units",
                models.PositiveSmallIntegerField(
                    default=1,
                    validators=[django.core.validators.MinValueValidator(1)],
                    verbose_name="entrance units",
                ),
            ),
            ("households", models.PositiveIntegerField(default=0, verbose_name="households")),
            (
                "year_built",
                models.PositiveSmallIntegerField(
                    blank=True,
                    null=True,
                    validators=[
                        django.core.validators.MinValueValidator(1949),
                        django.core.validators.MaxValueValidator(
                            communities.places.models.current_year
                        ),
                    ],
                    verbose_name="year built",
                ),
            ),
            (
                "safety_grade",
                models.CharField(
                    choices=[
                        ("unappraised", "Not appraised"),
                        ("A", "A: sound"),
                        ("B", "B: a few dangerous members"),
                        ("C", "C: partly dangerous"),
                        ("D", "D: whole building dangerous"),
                    ],
                    default="unappraised",
                    max_length=12,
                    verbose_name="safety grade",
                ),
            ),
            ("appraised_on", models.DateField(blank=True, null=True, verbose_name="appraised on")),
            ("appraiser", models.CharField(blank=True, max_length=100, verbose_name="appraiser")),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "community",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.community",
                    verbose_name="community",
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
        ],
        options={
            "verbose_name": "historical building",
            "verbose_name_plural": "historical buildings",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalBuildingAppraisal",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            ("appraised_on", models.DateField(verbose_name="appraised on")),
            ("appraiser", models.CharField(blank=True, max_length=100, verbose_name="appraiser")),
            (
                "grade",
                models.CharField(
                    choices=[
                        ("A", "A: sound"),
                        ("B", "B: a few dangerous members"),
                        ("C", "C: partly dangerous"),
                        ("D", "D: whole building dangerous"),
                    ],
                    max_length=12,
                    verbose_name="safety grade",
                ),
            ),
            (
                "report",
                models.TextField(
                    blank=True,
                    help_text="PDF, image, drawing, Word or Excel file of at most 50 MB.",
                    max_length=255,
                    validators=[
                        django.core.validators.FileExtensionValidator(
                            ["pdf", "jpg", "jpeg", "png", "dwg", "doc", "docx", "xls", "xlsx"]
                        ),
                        communities.core.files.MaxFileSizeValidator(52428800),
                        communities.core.files.DocumentValidator(),
                    ],
                    verbose_name="appraisal report",
                ),
            ),
            ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
            (
                "created_at",
                models.DateTimeField(blank=True, editable=False, verbose_name="recorded at"),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "building",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.building",
                    verbose_name="building",
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
        ],
        options={
            "verbose_name": "historical building appraisal",
            "verbose_name_plural": "historical building appraisals",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalCollectionRule",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            (
                "region_name",
                models.CharField(
                    help_text="For example 泰安市.", max_length=50, verbose_name="region"
                ),
            ),
            (
                "region_code",
                models.CharField(
                    db_index=True,
                    help_text="370900 covers every district of Tai'an (codes 3709…); 370000 the province; a district's own code only that district.",
                    max_length=6,
                    validators=[
                        django.core.validators.RegexValidator(
                            "^\\d{6}$", "Enter the 6-digit administrative code."
                        )
                    ],
                    verbose_name="region's administrative code",
                ),
            ),
            (
                "required_percent",
                models.DecimalField(
                    decimal_places=2,
                    default=Decimal("100"),
                    help_text="Of the owners' part, what must be paid before construction may start.",
                    max_digits=5,
                    validators=[
                        django.core.validators.MinValueValidator(Decimal("0")),
                        django.core.validators.MaxValueValidator(Decimal("100")),
                    ],
                    verbose_name="share collected before construction (%)",
                ),
            ),
            (
                "source",
                models.CharField(
                    blank=True,
                    help_text="The policy document.",
                    max_length=200,
                    verbose_name="source",
                ),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
        ],
        options={
            "verbose_name": "historical collection rule",
            "verbose_name_plural": "historical collection rules",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalCommunity",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            ("name", models.CharField(max_length=100, verbose_name="name")),
            (
                "name_sort",
                models.CharField(
                    blank=True,
                    default="",
                    editable=False,
                    help_text="Computed from the name, for ordering.",
                    max_length=255,
                    verbose_name="sort key",
                ),
            ),
            (
                "subdistrict",
                models.CharField(blank=True, max_length=50, verbose_name="subdistrict"),
            ),
            (
                "neighbourhood",
                models.CharField(blank=True, max_length=50, verbose_name="neighbourhood committee"),
            ),
            ("address", models.CharField(blank=True, max_length=200, verbose_name="address")),
            (
                "latitude",
                models.DecimalField(
                    blank=True,
                    decimal_places=6,
                    max_digits=9,
                    null=True,
                    validators=[
                        django.core.validators.MinValueValidator(3.8),
                        django.core.validators.MaxValueValidator(53.6),
                    ],
                    verbose_name="latitude",
                ),
            ),
            (
                "longitude",
                models.DecimalField(
                    blank=True,
                    decimal_places=6,
                    max_digits=9,
                    null=True,
                    validators=[
                        django.core.validators.MinValueValidator(73.4),
                        django.core.validators.MaxValueValidator(135.1),
                    ],
                    verbose_name="longitude",
                ),
            ),
            (
                "year_built",
                models.PositiveSmallIntegerField(
                    blank=True,
                    null=True,
                    validators=[
                        django.core.validators.MinValueValidator(1949),
                        django.core.validators.MaxValueValidator(
                            communities.places.models.current_year
                        ),
                    ],
                    verbose_name="year built",
                ),
            ),
            (
                "buildings_count",
                models.PositiveIntegerField(
                    default=0,
                    help_text="As surveyed; the buildings entered below may be fewer.",
                    verbose_name="number of buildings",
                ),
            ),
            ("households", models.PositiveIntegerField(default=0, verbose_name="households")),
            (
                "floor_area_m2",
                models.DecimalField(
                    decimal_places=2,
                    default=0,
                    max_digits=12,
                    validators=[
                        django.core.validators.MinValueValidator(
                            0, message="This cannot be negative."
                        )
                    ],
                    verbose_name="gross floor area (m²)",
                ),
            ),
            (
                "renovation_year",
                models.PositiveSmallIntegerField(
                    blank=True,
                    null=True,
                    validators=[
                        django.core.validators.MinValueValidator(2000),
                        django.core.validators.MaxValueValidator(2100),
                    ],
                    verbose_name="renovation batch year",
                ),
            ),
            (
                "renovation_status",
                models.CharField(
                    choices=[
                        ("not_started", "Not started"),
                        ("planned", "Planned"),
                        ("under_construction", "Under construction"),
                        ("completed", "Completed"),
                    ],
                    default="not_started",
                    max_length=20,
                    verbose_name="renovation status",
                ),
            ),
            ("started_on", models.DateField(blank=True, null=True, verbose_name="started on")),
            ("completed_on", models.DateField(blank=True, null=True, verbose_name="completed on")),
            (
                "is_demonstration",
                models.BooleanField(default=False, verbose_name="demonstration project"),
            ),
            (
                "demonstration_note",
                models.CharField(blank=True, max_length=200, verbose_name="demonstration note"),
            ),
            (
                "created_at",
                models.DateTimeField(blank=True, editable=False, verbose_name="created at"),
            ),
            (
                "updated_at",
                models.DateTimeField(blank=True, editable=False, verbose_name="last updated"),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "district",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.district",
                    verbose_name="district",
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
        ],
        options={
            "verbose_name": "historical community",
            "verbose_name_plural": "historical communities",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalDesignDocument",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            ("title", models.CharField(max_length=200, verbose_name="title")),
            (
                "file",
                models.TextField(
                    help_text="PDF, image, drawing, Word or Excel file of at most 50 MB.",
                    max_length=255,
                    validators=[
                        django.core.validators.FileExtensionValidator(
                            ["pdf", "jpg", "jpeg", "png", "dwg", "doc", "docx", "xls", "xlsx"]
                        ),
                        communities.core.files.MaxFileSizeValidator(52428800),
                        communities.core.files.DocumentValidator(),
                    ],
                    verbose_name="file",
                ),
            ),
            (
                "uploaded_at",
                models.DateTimeField(default=django.utils.timezone.now, verbose_name="uploaded at"),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "plan",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.designplan",
                    verbose_name="plan",
                ),
            ),
        ],
        options={
            "verbose_name": "historical design document",
            "verbose_name_plural": "historical design documents",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalDesignPlan",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            (
                "batch_year",
                models.PositiveSmallIntegerField(
                    help_text="The plan covers the community's items of this batch.",
                    validators=[
                        django.core.validators.MinValueValidator(2000),
                        django.core.validators.MaxValueValidator(2100),
                    ],
                    verbose_name="renovation batch year",
                ),
            ),
            (
                "version",
                models.PositiveSmallIntegerField(
                    default=1,
                    validators=[django.core.validators.MinValueValidator(1)],
                    verbose_name="version",
                ),
            ),
            ("title", models.CharField(max_length=200, verbose_name="title")),
            (
                "designer",
                models.CharField(
                    help_text="The design institute or firm.",
                    max_length=100,
                    verbose_name="designer",
                ),
            ),
            (
                "summary",
                models.TextField(
                    blank=True,
                    help_text="What the plan does, in plain words for residents.",
                    validators=[django.core.validators.MaxLengthValidator(4000)],
                    verbose_name="summary",
                ),
            ),
            (
                "status",
                models.CharField(
                    choices=[
                        ("draft", "Draft"),
                        ("notice", "In public notice"),
                        ("approved", "Approved"),
                        ("superseded", "Superseded"),
                    ],
                    default="draft",
                    max_length=20,
                    verbose_name="status",
                ),
            ),
            (
                "notice_start",
                models.DateField(blank=True, null=True, verbose_name="public notice from"),
            ),
            (
                "notice_end",
                models.DateField(
                    blank=True,
                    help_text="The last day, included.",
                    null=True,
                    verbose_name="public notice until",
                ),
            ),
            (
                "comments_received",
                models.PositiveIntegerField(
                    default=0,
                    help_text="Comments residents sent in the notice.",
                    verbose_name="comments received",
                ),
            ),
            (
                "comments_summary",
                models.TextField(
                    blank=True,
                    help_text="The comments in short, and how the plan answered them.",
                    validators=[django.core.validators.MaxLengthValidator(4000)],
                    verbose_name="what residents said",
                ),
            ),
            ("approved_on", models.DateField(blank=True, null=True, verbose_name="approved on")),
            (
                "approval_reference",
                models.CharField(
                    blank=True,
                    help_text="The number of the approval document (批复文号).",
                    max_length=100,
                    verbose_name="approval reference",
                ),
            ),
            (
                "created_at",
                models.DateTimeField(blank=True, editable=False, verbose_name="created at"),
            ),
            (
                "updated_at",
                models.DateTimeField(blank=True, editable=False, verbose_name="last updated"),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "approved_by",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="approved by",
                ),
            ),
            (
                "community",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.community",
                    verbose_name="community",
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
        ],
        options={
            "verbose_name": "historical design plan",
            "verbose_name_plural": "historical design plans",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalDesignPlanObjection",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            ("name", models.CharField(max_length=50, verbose_name="name")),
            (
                "room",
                models.CharField(
                    help_text="As on the door, for example 301.", max_length=30, verbose_name="room"
                ),
            ),
            (
                "phone",
                models.CharField(
                    max_length=30,
                    validators=[
                        django.core.validators.RegexValidator(
                            "^\\+?[0-9][0-9 \\-]{4,28}[0-9]$",
                            "Enter a phone number of digits, spaces and dashes.",
                        )
                    ],
                    verbose_name="phone",
                ),
            ),
            (
                "text",
                models.TextField(
                    validators=[django.core.validators.MaxLengthValidator(2000)],
                    verbose_name="objection",
                ),
            ),
            (
                "status",
                models.CharField(
                    choices=[
                        ("pending", "Awaiting moderation"),
                        ("published", "Published"),
                        ("hidden", "Hidden"),
                    ],
                    default="pending",
                    max_length=10,
                    verbose_name="moderation",
                ),
            ),
            (
                "moderation_reason",
                models.CharField(
                    blank=True,
                    help_text="Why the text is not shown to the public.",
                    max_length=300,
                    verbose_name="reason for hiding",
                ),
            ),
            (
                "moderated_at",
                models.DateTimeField(blank=True, null=True, verbose_name="moderated at"),
            ),
            (
                "answer",
                models.TextField(
                    blank=True,
                    help_text="Published with the notice, under the objection.",
                    validators=[django.core.validators.MaxLengthValidator(4000)],
                    verbose_name="answer",
                ),
            ),
            ("answered_on", models.DateField(blank=True, null=True, verbose_name="answered on")),
            (
                "filed_at",
                models.DateTimeField(default=django.utils.timezone.now, verbose_name="filed at"),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "answered_by",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="answered by",
                ),
            ),
            (
                "building",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    help_text="The filer's building, in the plan's community.",
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.building",
                    verbose_name="building",
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "moderated_by",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="moderated by",
                ),
            ),
            (
                "plan",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.designplan",
                    verbose_name="design plan",
                ),
            ),
        ],
        options={
            "verbose_name": "historical objection to a design plan",
            "verbose_name_plural": "historical objections to design plans",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalDistrict",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            (
                "code",
                models.CharField(
                    db_index=True,
                    max_length=6,
                    validators=[
                        django.core.validators.RegexValidator(
                            "^\\d{6}$", "Enter the 6-digit administrative code."
                        )
                    ],
                    verbose_name="administrative code",
                ),
            ),
            ("name", models.CharField(max_length=50, verbose_name="name")),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
        ],
        options={
            "verbose_name": "historical district",
            "verbose_name_plural": "historical districts",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalGridAssignment",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            (
                "grid",
                models.CharField(
                    blank=True,
                    help_text="The grid's name, e.g. 第3网格.",
                    max_length=50,
                    verbose_name="grid",
                ),
            ),
            ("started_on", models.DateField(verbose_name="from")),
            ("ended_on", models.DateField(blank=True, null=True, verbose_name="until")),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "community",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.community",
                    verbose_name="community",
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "inspector",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="grid inspector",
                ),
            ),
        ],
        options={
            "verbose_name": "historical grid assignment",
            "verbose_name_plural": "historical grid assignments",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalHousehold",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            (
                "entrance_unit",
                models.PositiveSmallIntegerField(
                    validators=[django.core.validators.MinValueValidator(1)],
                    verbose_name="entrance unit",
                ),
            ),
            (
                "floor",
                models.PositiveSmallIntegerField(
                    validators=[
                        django.core.validators.MinValueValidator(1),
                        django.core.validators.MaxValueValidator(60),
                    ],
                    verbose_name="floor",
                ),
            ),
            (
                "room_number",
                models.CharField(
                    help_text="As on the door, for example 301.",
                    max_length=20,
                    verbose_name="room number",
                ),
            ),
            (
                "room_sort",
                models.CharField(
                    blank=True,
                    default="",
                    editable=False,
                    help_text="Computed from the room number, for ordering.",
                    max_length=255,
                    verbose_name="sort key",
                ),
            ),
            (
                "floor_area_m2",
                models.DecimalField(
                    decimal_places=2,
                    help_text="The exclusive floor area on the property certificate.",
                    max_digits=8,
                    validators=[django.core.validators.MinValueValidator(Decimal("0.01"))],
                    verbose_name="floor area (m²)",
                ),
            ),
            (
                "owner_name",
                models.CharField(blank=True, max_length=50, verbose_name="owner's name"),
            ),
            (
                "owner_phone",
                models.CharField(blank=True, max_length=30, verbose_name="owner's phone"),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "building",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.building",
                    verbose_name="building",
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
        ],
        options={
            "verbose_name": "historical household",
            "verbose_name_plural": "historical households",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalOpen311Client",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            ("name", models.CharField(db_index=True, max_length=100, verbose_name="name")),
            (
                "source",
                models.CharField(
                    choices=[
                        ("wechat", "WeChat one-tap report"),
                        ("hotline_12345", "Phone / 12345 hotline"),
                        ("grid_patrol", "Grid inspector on patrol"),
                        ("walk_in", "Walk-in"),
                        ("staff", "Staff"),
                        ("web", "Report form on the public site"),
                    ],
                    default="hotline_12345",
                    max_length=20,
                    verbose_name="source of its requests",
                ),
            ),
            (
                "key_prefix",
                models.CharField(editable=False, max_length=8, verbose_name="key begins"),
            ),
            ("is_active", models.BooleanField(default=True, verbose_name="active")),
            (
                "created_at",
                models.DateTimeField(blank=True, editable=False, verbose_name="created at"),
            ),
            (
                "last_used_at",
                models.DateTimeField(
                    blank=True, editable=False, null=True, verbose_name="last used"
                ),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
        ],
        options={
            "verbose_name": "historical Open311 client",
            "verbose_name_plural": "historical Open311 clients",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalParty",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            ("name", models.CharField(max_length=200, verbose_name="name")),
            (
                "credit_code",
                models.CharField(
                    db_index=True,
                    help_text="统一社会信用代码: 18 characters, the last a check character.",
                    max_length=18,
                    validators=[communities.construction.models.CreditCodeValidator()],
                    verbose_name="unified social credit code",
                ),
            ),
            ("is_contractor", models.BooleanField(default=False, verbose_name="contractor")),
            ("is_supervisor", models.BooleanField(default=False, verbose_name="supervisor")),
            ("is_designer", models.BooleanField(default=False, verbose_name="designer")),
            (
                "contact_person",
                models.CharField(blank=True, max_length=50, verbose_name="contact person"),
            ),
            (
                "contact_phone",
                models.CharField(blank=True, max_length=30, verbose_name="contact phone"),
            ),
            ("address", models.CharField(blank=True, max_length=200, verbose_name="address")),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
        ],
        options={
            "verbose_name": "historical party",
            "verbose_name_plural": "historical parties",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalPropertyService",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            (
                "mode",
                models.CharField(
                    choices=[
                        ("professional", "Professional property company"),
                        ("fallback", "Neighbourhood fallback service"),
                        ("self_managed", "Owner self-managed"),
                    ],
                    max_length=20,
                    verbose_name="management mode",
                ),
            ),
            (
                "is_red_property",
                models.BooleanField(
                    default=False,
                    help_text="Party-building led: company, neighbourhood committee, owners' committee and grid inspectors work as one.",
                    verbose_name="red property",
                ),
            ),
            ("provider_name", models.CharField(max_length=100, verbose_name="provider")),
            (
                "contact_name",
                models.CharField(blank=True, max_length=50, verbose_name="contact person"),
            ),
            (
                "contact_phone",
                models.CharField(blank=True, max_length=30, verbose_name="service phone"),
            ),
            ("contract_start", models.DateField(verbose_name="contract start")),
            (
                "contract_end",
                models.DateField(
                    blank=True,
                    help_text="Leave empty for an open-ended service.",
                    null=True,
                    verbose_name="contract end",
                ),
            ),
            (
                "fee_per_m2_month",
                models.DecimalField(
                    decimal_places=2,
                    default=Decimal("0"),
                    max_digits=6,
                    verbose_name="fee (yuan per m² per month)",
                ),
            ),
            (
                "trial_end",
                models.DateField(
                    blank=True,
                    help_text="Try before you buy (先尝后买): the end of the low-cost trial.",
                    null=True,
                    verbose_name="trial period ends",
                ),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "community",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.community",
                    verbose_name="community",
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
        ],
        options={
            "verbose_name": "historical property service",
            "verbose_name_plural": "historical property services",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalRegion",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            (
                "code",
                models.CharField(
                    db_index=True,
                    max_length=4,
                    validators=[
                        django.core.validators.RegexValidator(
                            "^\\d{2}(\\d{2})?$",
                            "Enter a 2-digit province code or a 4-digit city code.",
                        )
                    ],
                    verbose_name="administrative code",
                ),
            ),
            ("name", models.CharField(max_length=50, verbose_name="name")),
            ("name_en", models.CharField(blank=True, max_length=80, verbose_name="English name")),
            (
                "level",
                models.CharField(
                    choices=[("province", "Province"), ("city", "City")],
                    max_length=10,
                    verbose_name="level",
                ),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
        ],
        options={
            "verbose_name": "historical region",
            "verbose_name_plural": "historical regions",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalRenovationKind",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            ("code", models.SlugField(verbose_name="code")),
            ("name", models.CharField(max_length=50, verbose_name="name")),
            ("name_en", models.CharField(blank=True, max_length=80, verbose_name="English name")),
            (
                "category",
                models.CharField(
                    choices=[
                        ("basic", "Basic"),
                        ("improvement", "Improvement"),
                        ("enhancement", "Enhancement"),
                    ],
                    max_length=20,
                    verbose_name="national category",
                ),
            ),
            (
                "is_reinforcement",
                models.BooleanField(
                    default=False,
                    help_text="Work of this kind may proceed on C and D grade buildings (reinforce first).",
                    verbose_name="structural reinforcement",
                ),
            ),
            ("sort_order", models.PositiveSmallIntegerField(default=0, verbose_name="sort order")),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
        ],
        options={
            "verbose_name": "historical renovation kind",
            "verbose_name_plural": "historical renovation kinds",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalSubscription",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            ("email", models.EmailField(max_length=254, verbose_name="email address")),
            (
                "language",
                models.CharField(default="zh-hans", max_length=10, verbose_name="language"),
            ),
            (
                "created_at",
                models.DateTimeField(blank=True, editable=False, verbose_name="subscribed at"),
            ),
            (
                "confirmed_at",
                models.DateTimeField(blank=True, null=True, verbose_name="confirmed at"),
            ),
            (
                "unsubscribed_at",
                models.DateTimeField(blank=True, null=True, verbose_name="unsubscribed at"),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "community",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    help_text="Empty: the whole district.",
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.community",
                    verbose_name="community",
                ),
            ),
            (
                "district",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.district",
                    verbose_name="district",
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
        ],
        options={
            "verbose_name": "historical subscription",
            "verbose_name_plural": "historical subscriptions",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalSubsidyRule",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            (
                "region_name",
                models.CharField(
                    help_text="For example 泰安市.", max_length=50, verbose_name="region"
                ),
            ),
            (
                "region_code",
                models.CharField(
                    help_text="370900 covers every district of Tai'an (codes 3709…); 370000 the province; a district's own code only that district.",
                    max_length=6,
                    validators=[
                        django.core.validators.RegexValidator(
                            "^\\d{6}$", "Enter the 6-digit administrative code."
                        )
                    ],
                    verbose_name="region's administrative code",
                ),
            ),
            (
                "min_storeys",
                models.PositiveSmallIntegerField(
                    default=1,
                    help_text="Buildings with at least this many storeys qualify.",
                    validators=[django.core.validators.MinValueValidator(1)],
                    verbose_name="minimum storeys",
                ),
            ),
            (
                "amount_per_elevator",
                models.DecimalField(
                    decimal_places=2, max_digits=14, verbose_name="amount per elevator (yuan)"
                ),
            ),
            (
                "cap_percent",
                models.DecimalField(
                    blank=True,
                    decimal_places=2,
                    help_text="Leave empty when only the amount (and the cost itself) limits it.",
                    max_digits=5,
                    null=True,
                    validators=[
                        django.core.validators.MinValueValidator(Decimal("0.01")),
                        django.core.validators.MaxValueValidator(Decimal("100")),
                    ],
                    verbose_name="cap (% of total cost)",
                ),
            ),
            (
                "valid_from_year",
                models.PositiveSmallIntegerField(
                    validators=[
                        django.core.validators.MinValueValidator(2000),
                        django.core.validators.MaxValueValidator(2100),
                    ],
                    verbose_name="valid from (year)",
                ),
            ),
            (
                "valid_to_year",
                models.PositiveSmallIntegerField(
                    blank=True,
                    help_text="Leave empty while the rule is in force.",
                    null=True,
                    validators=[
                        django.core.validators.MinValueValidator(2000),
                        django.core.validators.MaxValueValidator(2100),
                    ],
                    verbose_name="valid to (year)",
                ),
            ),
            (
                "source",
                models.CharField(
                    blank=True,
                    help_text="The policy document.",
                    max_length=200,
                    verbose_name="source",
                ),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
        ],
        options={
            "verbose_name": "historical subsidy rule",
            "verbose_name_plural": "historical subsidy rules",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalVoteRule",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            ("code", models.SlugField(verbose_name="code")),
            ("name", models.CharField(max_length=100, verbose_name="name")),
            ("name_en", models.CharField(blank=True, max_length=100, verbose_name="English name")),
            (
                "legal_basis",
                models.CharField(blank=True, max_length=200, verbose_name="legal basis"),
            ),
            (
                "participation_area_num",
                models.PositiveSmallIntegerField(
                    default=0,
                    help_text="0 when the rule sets no participation threshold.",
                    verbose_name="participation by area: numerator",
                ),
            ),
            (
                "participation_area_den",
                models.PositiveSmallIntegerField(
                    default=1, verbose_name="participation by area: denominator"
                ),
            ),
            (
                "participation_headcount_num",
                models.PositiveSmallIntegerField(
                    default=0,
                    help_text="0 when the rule sets no participation threshold.",
                    verbose_name="participation by headcount: numerator",
                ),
            ),
            (
                "participation_headcount_den",
                models.PositiveSmallIntegerField(
                    default=1, verbose_name="participation by headcount: denominator"
                ),
            ),
            (
                "approval_area_num",
                models.PositiveSmallIntegerField(verbose_name="approval by area: numerator"),
            ),
            (
                "approval_area_den",
                models.PositiveSmallIntegerField(verbose_name="approval by area: denominator"),
            ),
            (
                "approval_headcount_num",
                models.PositiveSmallIntegerField(verbose_name="approval by headcount: numerator"),
            ),
            (
                "approval_headcount_den",
                models.PositiveSmallIntegerField(verbose_name="approval by headcount: denominator"),
            ),
            (
                "approval_of_participants",
                models.BooleanField(
                    default=True,
                    help_text="Approval thresholds are shares of the owners who took part (Civil Code); untick for shares of all owners of the entrance unit.",
                    verbose_name="approval counted among participants",
                ),
            ),
            (
                "no_objection",
                models.BooleanField(
                    default=False,
                    help_text="A single owner voting against defeats the proposal.",
                    verbose_name="no objection allowed",
                ),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
        ],
        options={
            "verbose_name": "historical vote rule",
            "verbose_name_plural": "historical vote rules",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="Household",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "entrance_unit",
                models.PositiveSmallIntegerField(
                    validators=[django.core.validators.MinValueValidator(1)],
                    verbose_name="entrance unit",
                ),
            ),
            (
                "floor",
                models.PositiveSmallIntegerField(
                    validators=[
                        django.core.validators.MinValueValidator(1),
                        django.core.validators.MaxValueValidator(60),
                    ],
                    verbose_name="floor",
                ),
            ),
            (
                "room_number",
                models.CharField(
                    help_text="As on the door, for example 301.",
                    max_length=20,
                    verbose_name="room number",
                ),
            ),
            (
                "room_sort",
                models.CharField(
                    blank=True,
                    default="",
                    editable=False,
                    help_text="Computed from the room number, for ordering.",
                    max_length=255,
                    verbose_name="sort key",
                ),
            ),
            (
                "floor_area_m2",
                models.DecimalField(
                    decimal_places=2,
                    help_text="The exclusive floor area on the property certificate.",
                    max_digits=8,
                    validators=[django.core.validators.MinValueValidator(Decimal("0.01"))],
                    verbose_name="floor area (m²)",
                ),
            ),
            (
                "owner_name",
                models.CharField(blank=True, max_length=50, verbose_name="owner's name"),
            ),
            (
                "owner_phone",
                models.CharField(blank=True, max_length=30, verbose_name="owner's phone"),
            ),
            (
                "building",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="household_records",
                    to="communities.building",
                    verbose_name="building",
                ),
            ),
        ],
        options={
            "verbose_name": "household",
            "verbose_name_plural": "households",
            "ordering": ["building_id", "entrance_unit", "floor", "room_sort", "room_number"],
            "indexes": [
                models.Index(
                    fields=["building", "entrance_unit", "floor", "room_sort", "room_number"],
                    name="household_unit_floor",
                )
            ],
            "constraints": [
                models.UniqueConstraint(
                    fields=("building", "entrance_unit", "room_number"),
                    name="communities_household_unique_room",
                    violation_error_message="This entrance unit already has this room.",
                ),
                models.CheckConstraint(
                    condition=models.Q(("floor_area_m2__gt", 0)),
                    name="communities_household_area_positive",
                    violation_error_message="The floor area must be above 0.",
                ),
                models.CheckConstraint(
                    condition=models.Q(("floor__gte", 1), ("entrance_unit__gte", 1)),
                    name="communities_household_floor_and_unit_positive",
                    violation_error_message="Floors and entrance units are counted from 1.",
                ),
            ],
        },
    ),
    migrations.CreateModel(
        name="HistoricalShareInvoice",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            (
                "amount",
                models.DecimalField(
                    decimal_places=2,
                    help_text="The household's share of the owners' part, as the notice fixed it.",
                    max_digits=14,
                    verbose_name="amount invoiced (yuan)",
                ),
            ),
            ("invoiced_on", models.DateField(verbose_name="invoiced on")),
            ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "retrofit",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.elevatorretrofit",
                    verbose_name="elevator retrofit",
                ),
            ),
            (
                "household",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.household",
                    verbose_name="household",
                ),
            ),
        ],
        options={
            "verbose_name": "historical owner's invoice",
            "verbose_name_plural": "historical owners' invoices",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalOwnerVote",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            (
                "choice",
                models.CharField(
                    choices=[
                        ("agree", "Agree"),
                        ("disagree", "Disagree"),
                        ("abstain", "Abstain"),
                        ("absent", "Did not take part"),
                    ],
                    max_length=10,
                    verbose_name="vote",
                ),
            ),
            (
                "voted_on",
                models.DateField(
                    blank=True,
                    help_text="Empty only for “did not take part”.",
                    null=True,
                    verbose_name="voted on",
                ),
            ),
            ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "retrofit",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.elevatorretrofit",
                    verbose_name="elevator retrofit",
                ),
            ),
            (
                "household",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.household",
                    verbose_name="household",
                ),
            ),
        ],
        options={
            "verbose_name": "historical owner's vote",
            "verbose_name_plural": "historical owners' votes",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalElevatorObjection",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            ("name", models.CharField(max_length=50, verbose_name="name")),
            (
                "room",
                models.CharField(
                    help_text="As on the door, for example 301.", max_length=30, verbose_name="room"
                ),
            ),
            (
                "phone",
                models.CharField(
                    max_length=30,
                    validators=[
                        django.core.validators.RegexValidator(
                            "^\\+?[0-9][0-9 \\-]{4,28}[0-9]$",
                            "Enter a phone number of digits, spaces and dashes.",
                        )
                    ],
                    verbose_name="phone",
                ),
            ),
            (
                "text",
                models.TextField(
                    validators=[django.core.validators.MaxLengthValidator(2000)],
                    verbose_name="objection",
                ),
            ),
            (
                "status",
                models.CharField(
                    choices=[
                        ("pending", "Awaiting moderation"),
                        ("published", "Published"),
                        ("hidden", "Hidden"),
                    ],
                    default="pending",
                    max_length=10,
                    verbose_name="moderation",
                ),
            ),
            (
                "moderation_reason",
                models.CharField(
                    blank=True,
                    help_text="Why the text is not shown to the public.",
                    max_length=300,
                    verbose_name="reason for hiding",
                ),
            ),
            (
                "moderated_at",
                models.DateTimeField(blank=True, null=True, verbose_name="moderated at"),
            ),
            (
                "answer",
                models.TextField(
                    blank=True,
                    help_text="Published with the notice, under the objection.",
                    validators=[django.core.validators.MaxLengthValidator(4000)],
                    verbose_name="answer",
                ),
            ),
            ("answered_on", models.DateField(blank=True, null=True, verbose_name="answered on")),
            (
                "filed_at",
                models.DateTimeField(default=django.utils.timezone.now, verbose_name="filed at"),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "answered_by",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="answered by",
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "moderated_by",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="moderated by",
                ),
            ),
            (
                "retrofit",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.elevatorretrofit",
                    verbose_name="elevator retrofit",
                ),
            ),
            (
                "household",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    help_text="The household of the room given, when the unit's households are entered.",
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.household",
                    verbose_name="household",
                ),
            ),
        ],
        options={
            "verbose_name": "historical objection to an elevator retrofit",
            "verbose_name_plural": "historical objections to elevator retrofits",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="ElevatorObjection",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            ("name", models.CharField(max_length=50, verbose_name="name")),
            (
                "room",
                models.CharField(
                    help_text="As on the door, for example 301.", max_length=30, verbose_name="room"
                ),
            ),
            (
                "phone",
                models.CharField(
                    max_length=30,
                    validators=[
                        django.core.validators.RegexValidator(
                            "^\\+?[0-9][0-9 \\-]{4,28}[0-9]$",
                            "Enter a phone number of digits, spaces and dashes.",
                        )
                    ],
                    verbose_name="phone",
                ),
            ),
            (
                "text",
                models.TextField(
                    validators=[django.core.validators.MaxLengthValidator(2000)],
                    verbose_name="objection",
                ),
            ),
            (
                "status",
                models.CharField(
                    choices=[
                        ("pending", "Awaiting moderation"),
                        ("published", "Published"),
                        ("hidden", "Hidden"),
                    ],
                    default="pending",
                    max_length=10,
                    verbose_name="moderation",
                ),
            ),
            (
                "moderation_reason",
                models.CharField(
                    blank=True,
                    help_text="Why the text is not shown to the public.",
                    max_length=300,
                    verbose_name="reason for hiding",
                ),
            ),
            (
                "moderated_at",
                models.DateTimeField(blank=True, null=True, verbose_name="moderated at"),
            ),
            (
                "answer",
                models.TextField(
                    blank=True,
                    help_text="Published with the notice, under the objection.",
                    validators=[django.core.validators.MaxLengthValidator(4000)],
                    verbose_name="answer",
                ),
            ),
            ("answered_on", models.DateField(blank=True, null=True, verbose_name="answered on")),
            (
                "filed_at",
                models.DateTimeField(default=django.utils.timezone.now, verbose_name="filed at"),
            ),
            (
                "answered_by",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="answered by",
                ),
            ),
            (
                "moderated_by",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="moderated by",
                ),
            ),
            (
                "retrofit",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="objections",
                    to="communities.elevatorretrofit",
                    verbose_name="elevator retrofit",
                ),
            ),
            (
                "household",
                models.ForeignKey(
                    blank=True,
                    help_text="The household of the room given, when the unit's households are entered.",
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to="communities.household",
                    verbose_name="household",
                ),
            ),
        ],
        options={
            "verbose_name": "objection to an elevator retrofit",
            "verbose_name_plural": "objections to elevator retrofits",
            "ordering": ["retrofit_id", "filed_at", "id"],
            "abstract": False,
            "indexes": [
                models.Index(
                    fields=["retrofit", "filed_at", "id"], name="elevator_objection_filed"
                ),
                models.Index(fields=["status"], name="elevator_objection_status"),
            ],
            "constraints": [
                models.CheckConstraint(
                    condition=models.Q(
                        models.Q(("status", "hidden"), _negated=True),
                        models.Q(("moderation_reason", ""), _negated=True),
                        _connector="OR",
                    ),
                    name="communities_elevatorobjection_hidden_needs_reason",
                    violation_error_message="Give the reason for hiding the objection.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        models.Q(("answer", ""), ("answered_on__isnull", True)),
                        models.Q(
                            models.Q(("answer", ""), _negated=True), ("answered_on__isnull", False)
                        ),
                        _connector="OR",
                    ),
                    name="communities_elevatorobjection_answer_with_date",
                    violation_error_message="An answer has its date, and a date its answer.",
                ),
            ],
        },
    ),
    migrations.CreateModel(
        name="Inspection",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "visited_on",
                models.DateField(
                    validators=[communities.construction.models.not_in_future],
                    verbose_name="date of the visit",
                ),
            ),
            (
                "inspector",
                models.CharField(
                    help_text="Who inspected, and for whom.",
                    max_length=100,
                    verbose_name="inspector",
                ),
            ),
            (
                "kind",
                models.CharField(
                    choices=[
                        ("quality", "Quality"),
                        ("safety", "Safety"),
                        ("civilised", "Civilised construction"),
                        ("completion", "Completion check"),
                    ],
                    max_length=20,
                    verbose_name="kind",
                ),
            ),
            ("note", models.TextField(blank=True, verbose_name="note")),
            (
                "community",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="inspections",
                    to="communities.community",
                    verbose_name="community",
                ),
            ),
            (
                "item",
                models.ForeignKey(
                    blank=True,
                    help_text="Leave empty for a visit to the whole site.",
                    null=True,
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="inspections",
                    to="communities.renovationitem",
                    verbose_name="renovation item",
                ),
            ),
        ],
        options={
            "verbose_name": "inspection",
            "verbose_name_plural": "inspections",
            "ordering": ["-visited_on", "-id"],
            "indexes": [
                models.Index(fields=["-visited_on", "-id"], name="inspection_latest"),
                models.Index(fields=["community", "-visited_on"], name="inspection_community"),
            ],
        },
    ),
    migrations.CreateModel(
        name="HistoricalFinding",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            (
                "severity",
                models.CharField(
                    choices=[
                        ("general", "General"),
                        ("serious", "Serious"),
                        ("major_hazard", "Major hazard"),
                    ],
                    max_length=20,
                    verbose_name="severity",
                ),
            ),
            ("description", models.TextField(verbose_name="description")),
            (
                "standard_cited",
                models.CharField(
                    blank=True,
                    help_text="For example GB 50300-2013, 4.0.7.",
                    max_length=200,
                    verbose_name="rule or standard cited",
                ),
            ),
            (
                "photo",
                models.TextField(
                    blank=True,
                    max_length=200,
                    validators=[
                        django.core.validators.FileExtensionValidator(
                            ["jpg", "jpeg", "png", "webp"]
                        ),
                        communities.core.files.PhotoValidator(),
                    ],
                    verbose_name="photo",
                ),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "inspection",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.inspection",
                    verbose_name="inspection",
                ),
            ),
        ],
        options={
            "verbose_name": "historical finding",
            "verbose_name_plural": "historical findings",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="Finding",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "severity",
                models.CharField(
                    choices=[
                        ("general", "General"),
                        ("serious", "Serious"),
                        ("major_hazard", "Major hazard"),
                    ],
                    max_length=20,
                    verbose_name="severity",
                ),
            ),
            ("description", models.TextField(verbose_name="description")),
            (
                "standard_cited",
                models.CharField(
                    blank=True,
                    help_text="For example GB 50300-2013, 4.0.7.",
                    max_length=200,
                    verbose_name="rule or standard cited",
                ),
            ),
            (
                "photo",
                communities.core.files.UploadField(
                    blank=True,
                    max_length=200,
                    upload_to=communities.construction.models.photo_upload_to,
                    validators=[
                        django.core.validators.FileExtensionValidator(
                            ["jpg", "jpeg", "png", "webp"]
                        ),
                        communities.core.files.PhotoValidator(),
                    ],
                    verbose_name="photo",
                ),
            ),
            (
                "inspection",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="findings",
                    to="communities.inspection",
                    verbose_name="inspection",
                ),
            ),
        ],
        options={
            "verbose_name": "finding",
            "verbose_name_plural": "findings",
            "ordering": ["inspection_id", "id"],
            "indexes": [
                models.Index(fields=["inspection", "id"], name="finding_inspection"),
                models.Index(fields=["severity"], name="finding_severity"),
            ],
        },
    ),
    migrations.CreateModel(
        name="OwnerVote",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "choice",
                models.CharField(
                    choices=[
                        ("agree", "Agree"),
                        ("disagree", "Disagree"),
                        ("abstain", "Abstain"),
                        ("absent", "Did not take part"),
                    ],
                    max_length=10,
                    verbose_name="vote",
                ),
            ),
            (
                "voted_on",
                models.DateField(
                    blank=True,
                    help_text="Empty only for “did not take part”.",
                    null=True,
                    verbose_name="voted on",
                ),
            ),
            ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
            (
                "household",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="votes",
                    to="communities.household",
                    verbose_name="household",
                ),
            ),
            (
                "retrofit",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="votes",
                    to="communities.elevatorretrofit",
                    verbose_name="elevator retrofit",
                ),
            ),
        ],
        options={
            "verbose_name": "owner's vote",
            "verbose_name_plural": "owners' votes",
            "ordering": ["retrofit_id", "household_id"],
            "constraints": [
                models.UniqueConstraint(
                    fields=("retrofit", "household"),
                    name="communities_ownervote_one_per_household",
                    violation_error_message="This household has already voted on this retrofit.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        ("choice", "absent"), ("voted_on__isnull", False), _connector="OR"
                    ),
                    name="communities_ownervote_vote_has_date",
                    violation_error_message="Give the date of the vote.",
                ),
            ],
        },
    ),
    migrations.CreateModel(
        name="Party",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            ("name", models.CharField(max_length=200, verbose_name="name")),
            (
                "credit_code",
                models.CharField(
                    help_text="统一社会信用代码: 18 characters, the last a check character.",
                    max_length=18,
                    unique=True,
                    validators=[communities.construction.models.CreditCodeValidator()],
                    verbose_name="unified social credit code",
                ),
            ),
            ("is_contractor", models.BooleanField(default=False, verbose_name="contractor")),
            ("is_supervisor", models.BooleanField(default=False, verbose_name="supervisor")),
            ("is_designer", models.BooleanField(default=False, verbose_name="designer")),
            (
                "contact_person",
                models.CharField(blank=True, max_length=50, verbose_name="contact person"),
            ),
            (
                "contact_phone",
                models.CharField(blank=True, max_length=30, verbose_name="contact phone"),
            ),
            ("address", models.CharField(blank=True, max_length=200, verbose_name="address")),
        ],
        options={
            "verbose_name": "party",
            "verbose_name_plural": "parties",
            "ordering": ["name", "id"],
            "indexes": [models.Index(fields=["name", "id"], name="party_name")],
            "constraints": [
                models.CheckConstraint(
                    condition=models.Q(
                        ("is_contractor", True),
                        ("is_supervisor", True),
                        ("is_designer", True),
                        _connector="OR",
                    ),
                    name="communities_party_has_a_role",
                    violation_error_message="A party is a contractor, a supervisor or a designer (one or more).",
                )
            ],
        },
    ),
    migrations.CreateModel(
        name="HistoricalRectificationOrder",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            (
                "issued_on",
                models.DateField(
                    validators=[communities.construction.models.not_in_future],
                    verbose_name="issued on",
                ),
            ),
            ("deadline", models.DateField(verbose_name="deadline")),
            (
                "status",
                models.CharField(
                    choices=[
                        ("open", "Open"),
                        ("reported_fixed", "Reported fixed"),
                        ("closed", "Closed"),
                    ],
                    default="open",
                    max_length=20,
                    verbose_name="status",
                ),
            ),
            ("fixed_on", models.DateField(blank=True, null=True, verbose_name="reported fixed on")),
            ("fix_note", models.TextField(blank=True, verbose_name="contractor's report")),
            (
                "fix_photo",
                models.TextField(
                    blank=True,
                    max_length=200,
                    validators=[
                        django.core.validators.FileExtensionValidator(
                            ["jpg", "jpeg", "png", "webp"]
                        ),
                        communities.core.files.PhotoValidator(),
                    ],
                    verbose_name="photo of the fix",
                ),
            ),
            ("closed_on", models.DateField(blank=True, null=True, verbose_name="closed on")),
            ("reopen_note", models.TextField(blank=True, verbose_name="why it was reopened")),
            (
                "times_reopened",
                models.PositiveSmallIntegerField(default=0, verbose_name="times reopened"),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "finding",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.finding",
                    verbose_name="finding",
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "contractor",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.party",
                    verbose_name="contractor",
                ),
            ),
        ],
        options={
            "verbose_name": "historical rectification order",
            "verbose_name_plural": "historical rectification orders",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalAcceptanceParty",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            (
                "role",
                models.CharField(
                    choices=[
                        ("contractor", "Contractor"),
                        ("supervisor", "Supervisor"),
                        ("designer", "Designer"),
                    ],
                    max_length=20,
                    verbose_name="role",
                ),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "acceptance",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.acceptance",
                    verbose_name="acceptance",
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "party",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.party",
                    verbose_name="party",
                ),
            ),
        ],
        options={
            "verbose_name": "historical party present",
            "verbose_name_plural": "historical parties present",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="AcceptanceParty",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "role",
                models.CharField(
                    choices=[
                        ("contractor", "Contractor"),
                        ("supervisor", "Supervisor"),
                        ("designer", "Designer"),
                    ],
                    max_length=20,
                    verbose_name="role",
                ),
            ),
            (
                "acceptance",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="parties",
                    to="communities.acceptance",
                    verbose_name="acceptance",
                ),
            ),
            (
                "party",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="acceptances",
                    to="communities.party",
                    verbose_name="party",
                ),
            ),
        ],
        options={
            "verbose_name": "party present",
            "verbose_name_plural": "parties present",
            "ordering": ["acceptance_id", "role", "id"],
            "constraints": [
                models.UniqueConstraint(
                    fields=("acceptance", "role", "party"),
                    name="communities_acceptanceparty_once_per_role",
                    violation_error_message="This party is already present in this role.",
                )
            ],
        },
    ),
    migrations.CreateModel(
        name="PropertyService",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "mode",
                models.CharField(
                    choices=[
                        ("professional", "Professional property company"),
                        ("fallback", "Neighbourhood fallback service"),
                        ("self_managed", "Owner self-managed"),
                    ],
                    max_length=20,
                    verbose_name="management mode",
                ),
            ),
            (
                "is_red_property",
                models.BooleanField(
                    default=False,
                    help_text="Party-building led: company, neighbourhood committee, owners' committee and grid inspectors work as one.",
                    verbose_name="red property",
                ),
            ),
            ("provider_name", models.CharField(max_length=100, verbose_name="provider")),
            (
                "contact_name",
                models.CharField(blank=True, max_length=50, verbose_name="contact person"),
            ),
            (
                "contact_phone",
                models.CharField(blank=True, max_length=30, verbose_name="service phone"),
            ),
            ("contract_start", models.DateField(verbose_name="contract start")),
            (
                "contract_end",
                models.DateField(
                    blank=True,
                    help_text="Leave empty for an open-ended service.",
                    null=True,
                    verbose_name="contract end",
                ),
            ),
            (
                "fee_per_m2_month",
                models.DecimalField(
                    decimal_places=2,
                    default=Decimal("0"),
                    max_digits=6,
                    verbose_name="fee (yuan per m² per month)",
                ),
            ),
            (
                "trial_end",
                models.DateField(
                    blank=True,
                    help_text="Try before you buy (先尝后买): the end of the low-cost trial.",
                    null=True,
                    verbose_name="trial period ends",
                ),
            ),
            (
                "community",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="property_services",
                    to="communities.community",
                    verbose_name="community",
                ),
            ),
        ],
        options={
            "verbose_name": "property service",
            "verbose_name_plural": "property services",
            "ordering": ["community_id", "-contract_start"],
            "indexes": [
                models.Index(
                    fields=["community", "contract_start", "contract_end"], name="service_coverage"
                ),
                models.Index(fields=["contract_end"], name="service_contract_end"),
                models.Index(fields=["mode"], name="service_mode"),
            ],
            "constraints": [
                models.CheckConstraint(
                    condition=models.Q(
                        ("contract_end__isnull", True),
                        ("contract_end__gte", models.F("contract_start")),
                        _connector="OR",
                    ),
                    name="communities_propertyservice_end_after_start",
                    violation_error_message="The contract cannot end before it starts.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        ("trial_end__isnull", True),
                        ("trial_end__gte", models.F("contract_start")),
                        _connector="OR",
                    ),
                    name="communities_propertyservice_trial_after_start",
                    violation_error_message="The trial cannot end before the contract starts.",
                ),
                models.CheckConstraint(
                    condition=models.Q(("fee_per_m2_month__gte", 0)),
                    name="communities_propertyservice_fee_not_negative",
                    violation_error_message="The fee cannot be negative.",
                ),
            ],
        },
    ),
    migrations.CreateModel(
        name="HistoricalRepairRequest",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            (
                "entrance_unit",
                models.PositiveSmallIntegerField(
                    blank=True,
                    help_text="For example 2 for 2单元.",
                    null=True,
                    validators=[django.core.validators.MinValueValidator(1)],
                    verbose_name="entrance unit",
                ),
            ),
            (
                "category",
                models.CharField(
                    choices=[
                        ("plumbing", "Water supply and drainage"),
                        ("electrical", "Electrical"),
                        ("elevator", "Elevator"),
                        ("roof_leak", "Roof and leaks"),
                        ("sanitation", "Sanitation"),
                        ("greening", "Greening"),
                        ("security", "Security"),
                        ("public_facility", "Public facility"),
                        ("other", "Other"),
                    ],
                    max_length=20,
                    verbose_name="category",
                ),
            ),
            (
                "is_emergency",
                models.BooleanField(
                    default=False,
                    help_text="Danger to people or property: the emergency deadline applies.",
                    verbose_name="emergency",
                ),
            ),
            (
                "description",
                models.TextField(
                    validators=[django.core.validators.MaxLengthValidator(4000)],
                    verbose_name="description",
                ),
            ),
            (
                "photo",
                models.TextField(
                    blank=True,
                    max_length=100,
                    validators=[
                        django.core.validators.FileExtensionValidator(
                            ["jpg", "jpeg", "png", "webp"]
                        ),
                        communities.core.files.PhotoValidator(),
                    ],
                    verbose_name="photo",
                ),
            ),
            (
                "photo_url",
                models.URLField(
                    blank=True,
                    help_text="A photo sent as a link.",
                    max_length=500,
                    verbose_name="photo link",
                ),
            ),
            (
                "source",
                models.CharField(
                    choices=[
                        ("wechat", "WeChat one-tap report"),
                        ("hotline_12345", "Phone / 12345 hotline"),
                        ("grid_patrol", "Grid inspector on patrol"),
                        ("walk_in", "Walk-in"),
                        ("staff", "Staff"),
                        ("web", "Report form on the public site"),
                    ],
                    max_length=20,
                    verbose_name="source",
                ),
            ),
            (
                "reporter_name",
                models.CharField(blank=True, max_length=50, verbose_name="reporter's name"),
            ),
            (
                "reporter_phone",
                models.CharField(
                    blank=True,
                    max_length=30,
                    validators=[
                        django.core.validators.RegexValidator(
                            "^\\+?[0-9][0-9 \\-]{4,28}[0-9]$",
                            "Enter a phone number of digits, spaces and dashes.",
                        )
                    ],
                    verbose_name="reporter's phone",
                ),
            ),
            (
                "latitude",
                models.DecimalField(
                    blank=True,
                    decimal_places=6,
                    max_digits=9,
                    null=True,
                    validators=[
                        django.core.validators.MinValueValidator(3.8),
                        django.core.validators.MaxValueValidator(53.6),
                    ],
                    verbose_name="latitude",
                ),
            ),
            (
                "longitude",
                models.DecimalField(
                    blank=True,
                    decimal_places=6,
                    max_digits=9,
                    null=True,
                    validators=[
                        django.core.validators.MinValueValidator(73.4),
                        django.core.validators.MaxValueValidator(135.1),
                    ],
                    verbose_name="longitude",
                ),
            ),
            (
                "address",
                models.CharField(
                    blank=True,
                    help_text="Where exactly, in the reporter's words.",
                    max_length=200,
                    verbose_name="location description",
                ),
            ),
            (
                "is_public",
                models.BooleanField(
                    default=False,
                    help_text="Shown to the public (without the reporter's name or phone) once staff have checked it.",
                    verbose_name="public",
                ),
            ),
            (
                "status",
                models.CharField(
                    choices=[
                        ("submitted", "Submitted"),
                        ("dispatched", "Dispatched"),
                        ("in_progress", "In progress"),
                        ("resolved", "Resolved"),
                        ("closed", "Closed"),
                        ("rejected", "Rejected"),
                    ],
                    default="submitted",
                    max_length=20,
                    verbose_name="status",
                ),
            ),
            (
                "submitted_at",
                models.DateTimeField(
                    default=django.utils.timezone.now, verbose_name="submitted at"
                ),
            ),
            ("deadline_at", models.DateTimeField(verbose_name="deadline")),
            (
                "dispatched_at",
                models.DateTimeField(blank=True, null=True, verbose_name="dispatched at"),
            ),
            (
                "started_at",
                models.DateTimeField(blank=True, null=True, verbose_name="work started at"),
            ),
            (
                "resolved_at",
                models.DateTimeField(blank=True, null=True, verbose_name="resolved at"),
            ),
            (
                "closed_at",
                models.DateTimeField(
                    blank=True,
                    help_text="When it was closed or rejected.",
                    null=True,
                    verbose_name="closed at",
                ),
            ),
            (
                "updated_at",
                models.DateTimeField(
                    default=django.utils.timezone.now, verbose_name="last changed"
                ),
            ),
            (
                "handler_kind",
                models.CharField(
                    blank=True,
                    choices=[
                        ("covering_service", "Property service covering the community"),
                        ("neighbourhood_fallback", "Neighbourhood fallback service"),
                    ],
                    max_length=30,
                    verbose_name="dispatched by",
                ),
            ),
            (
                "handler_name",
                models.CharField(
                    blank=True,
                    help_text="The provider or neighbourhood committee, as it was named at dispatch.",
                    max_length=100,
                    verbose_name="handled by",
                ),
            ),
            ("resolution", models.TextField(blank=True, verbose_name="what was done")),
            ("reject_reason", models.TextField(blank=True, verbose_name="reason for rejection")),
            (
                "rating",
                models.PositiveSmallIntegerField(
                    blank=True,
                    help_text="The reporter's satisfaction, 1 to 5.",
                    null=True,
                    validators=[
                        django.core.validators.MinValueValidator(1),
                        django.core.validators.MaxValueValidator(5),
                    ],
                    verbose_name="rating",
                ),
            ),
            ("rating_comment", models.TextField(blank=True, verbose_name="reporter's comment")),
            (
                "closed_by",
                models.CharField(
                    blank=True,
                    choices=[
                        ("rating", "The reporter's rating"),
                        ("timeout", "No rating within the set days"),
                    ],
                    max_length=10,
                    verbose_name="closed by",
                ),
            ),
            (
                "reopen_count",
                models.PositiveSmallIntegerField(default=0, verbose_name="times reopened"),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "building",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.building",
                    verbose_name="building",
                ),
            ),
            (
                "community",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.community",
                    verbose_name="community",
                ),
            ),
            (
                "filed_by",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="entered by",
                ),
            ),
            (
                "grid_inspector",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    help_text="Who filed it on patrol.",
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="grid inspector",
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "open311_client",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.open311client",
                    verbose_name="filed through",
                ),
            ),
            (
                "property_service",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.propertyservice",
                    verbose_name="handling property service",
                ),
            ),
        ],
        options={
            "verbose_name": "historical repair request",
            "verbose_name_plural": "historical repair requests",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="RectificationOrder",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "issued_on",
                models.DateField(
                    validators=[communities.construction.models.not_in_future],
                    verbose_name="issued on",
                ),
            ),
            ("deadline", models.DateField(verbose_name="deadline")),
            (
                "status",
                models.CharField(
                    choices=[
                        ("open", "Open"),
                        ("reported_fixed", "Reported fixed"),
                        ("closed", "Closed"),
                    ],
                    default="open",
                    max_length=20,
                    verbose_name="status",
                ),
            ),
            ("fixed_on", models.DateField(blank=True, null=True, verbose_name="reported fixed on")),
            ("fix_note", models.TextField(blank=True, verbose_name="contractor's report")),
            (
                "fix_photo",
                communities.core.files.UploadField(
                    blank=True,
                    max_length=200,
                    upload_to=communities.construction.models.photo_upload_to,
                    validators=[
                        django.core.validators.FileExtensionValidator(
                            ["jpg", "jpeg", "png", "webp"]
                        ),
                        communities.core.files.PhotoValidator(),
                    ],
                    verbose_name="photo of the fix",
                ),
            ),
            ("closed_on", models.DateField(blank=True, null=True, verbose_name="closed on")),
            ("reopen_note", models.TextField(blank=True, verbose_name="why it was reopened")),
            (
                "times_reopened",
                models.PositiveSmallIntegerField(default=0, verbose_name="times reopened"),
            ),
            (
                "contractor",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="orders",
                    to="communities.party",
                    verbose_name="contractor",
                ),
            ),
            (
                "finding",
                models.OneToOneField(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="order",
                    to="communities.finding",
                    verbose_name="finding",
                ),
            ),
        ],
        options={
            "verbose_name": "rectification order",
            "verbose_name_plural": "rectification orders",
            "ordering": ["deadline", "id"],
            "indexes": [
                models.Index(fields=["status", "deadline"], name="order_status_deadline"),
                models.Index(fields=["deadline", "id"], name="order_deadline"),
                models.Index(fields=["contractor", "status", "deadline"], name="order_contractor"),
            ],
            "constraints": [
                models.CheckConstraint(
                    condition=models.Q(("deadline__gte", models.F("issued_on"))),
                    name="communities_rectificationorder_deadline_after_issue",
                    violation_error_message="The deadline cannot be before the order was issued.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        ("fixed_on__isnull", True),
                        ("fixed_on__gte", models.F("issued_on")),
                        _connector="OR",
                    ),
                    name="communities_rectificationorder_fixed_after_issue",
                    violation_error_message="It cannot be fixed before the order was issued.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        ("closed_on__isnull", True),
                        models.Q(
                            ("fixed_on__isnull", False), ("closed_on__gte", models.F("fixed_on"))
                        ),
                        _connector="OR",
                    ),
                    name="communities_rectificationorder_closed_after_fixed",
                    violation_error_message="An order is closed on or after the day it was reported fixed.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        models.Q(
                            ("status", "open"),
                            ("fixed_on__isnull", True),
                            ("closed_on__isnull", True),
                        ),
                        models.Q(
                            ("status", "reported_fixed"),
                            ("fixed_on__isnull", False),
                            ("closed_on__isnull", True),
                        ),
                        models.Q(
                            ("status", "closed"),
                            ("fixed_on__isnull", False),
                            ("closed_on__isnull", False),
                        ),
                        _connector="OR",
                    ),
                    name="communities_rectificationorder_dates_match_status",
                    violation_error_message="An open order has no fix date, a fixed one has no closing date, and a closed one has both.",
                ),
            ],
        },
    ),
    migrations.CreateModel(
        name="Region",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "code",
                models.CharField(
                    max_length=4,
                    unique=True,
                    validators=[
                        django.core.validators.RegexValidator(
                            "^\\d{2}(\\d{2})?$",
                            "Enter a 2-digit province code or a 4-digit city code.",
                        )
                    ],
                    verbose_name="administrative code",
                ),
            ),
            ("name", models.CharField(max_length=50, verbose_name="name")),
            ("name_en", models.CharField(blank=True, max_length=80, verbose_name="English name")),
            (
                "level",
                models.CharField(
                    choices=[("province", "Province"), ("city", "City")],
                    max_length=10,
                    verbose_name="level",
                ),
            ),
        ],
        options={
            "verbose_name": "region",
            "verbose_name_plural": "regions",
            "ordering": ["code"],
            "constraints": [
                models.CheckConstraint(
                    condition=models.Q(
                        models.Q(("code__regex", "^[0-9]{2}$"), ("level", "province")),
                        models.Q(("code__regex", "^[0-9]{4}$"), ("level", "city")),
                        _connector="OR",
                    ),
                    name="communities_region_level_matches_code",
                    violation_error_message="A province has a 2-digit code and a city a 4-digit code.",
                )
            ],
        },
    ),
    migrations.CreateModel(
        name="RenovationItem",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            ("title", models.CharField(max_length=200, verbose_name="title")),
            ("description", models.TextField(blank=True, verbose_name="description")),
            (
                "quantity",
                models.DecimalField(
                    blank=True, decimal_places=2, max_digits=12, null=True, verbose_name="quantity"
                ),
            ),
            (
                "unit",
                models.CharField(
                    blank=True, help_text="m², m, units…", max_length=20, verbose_name="unit"
                ),
            ),
            (
                "budget",
                models.DecimalField(
                    decimal_places=2,
                    default=Decimal("0"),
                    max_digits=14,
                    validators=[
                        django.core.validators.MinValueValidator(
                            0, message="This cannot be negative."
                        )
                    ],
                    verbose_name="budget (yuan)",
                ),
            ),
            (
                "spent",
                models.DecimalField(
                    decimal_places=2,
                    default=Decimal("0"),
                    max_digits=14,
                    validators=[
                        django.core.validators.MinValueValidator(
                            0, message="This cannot be negative."
                        )
                    ],
                    verbose_name="spent (yuan)",
                ),
            ),
            (
                "status",
                models.CharField(
                    choices=[
                        ("planned", "Planned"),
                        ("designing", "Designing"),
                        ("under_construction", "Under construction"),
                        ("completed", "Completed"),
                        ("accepted", "Accepted"),
                        ("cancelled", "Cancelled"),
                    ],
                    default="planned",
                    max_length=20,
                    verbose_name="status",
                ),
            ),
            (
                "progress",
                models.PositiveSmallIntegerField(
                    default=0,
                    validators=[
                        django.core.validators.MinValueValidator(0),
                        django.core.validators.MaxValueValidator(100),
                    ],
                    verbose_name="progress (%)",
                ),
            ),
            (
                "planned_start",
                models.DateField(blank=True, null=True, verbose_name="planned start"),
            ),
            ("planned_end", models.DateField(blank=True, null=True, verbose_name="planned end")),
            ("actual_start", models.DateField(blank=True, null=True, verbose_name="actual start")),
            ("actual_end", models.DateField(blank=True, null=True, verbose_name="actual end")),
            ("contractor", models.CharField(blank=True, max_length=100, verbose_name="contractor")),
            ("supervisor", models.CharField(blank=True, max_length=100, verbose_name="supervisor")),
            ("updated_at", models.DateTimeField(auto_now=True, verbose_name="last updated")),
            (
                "building",
                models.ForeignKey(
                    blank=True,
                    help_text="Leave empty for work on the whole community.",
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="items",
                    to="communities.building",
                    verbose_name="building",
                ),
            ),
            (
                "community",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="items",
                    to="communities.community",
                    verbose_name="community",
                ),
            ),
            (
                "kind",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="items",
                    to="communities.renovationkind",
                    verbose_name="kind",
                ),
            ),
        ],
        options={
            "verbose_name": "renovation item",
            "verbose_name_plural": "renovation items",
            "ordering": ["community_id", "kind__category", "id"],
            "indexes": [
                models.Index(fields=["community", "status"], name="item_community_status"),
                models.Index(fields=["status", "planned_start"], name="item_status_planned_start"),
                models.Index(fields=["kind", "status"], name="item_kind_status"),
                models.Index(fields=["status", "updated_at"], name="item_status_updated"),
            ],
            "constraints": [
                models.CheckConstraint(
                    condition=models.Q(("budget__gte", 0), ("spent__gte", 0)),
                    name="communities_renovationitem_money_not_negative",
                    violation_error_message="Budget and spending cannot be negative.",
                ),
                models.CheckConstraint(
                    condition=models.Q(("progress__gte", 0), ("progress__lte", 100)),
                    name="communities_renovationitem_progress_percent",
                    violation_error_message="Progress is a percentage from 0 to 100.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        ("quantity__isnull", True), ("quantity__gte", 0), _connector="OR"
                    ),
                    name="communities_renovationitem_quantity_not_negative",
                    violation_error_message="The quantity cannot be negative.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        ("planned_end__isnull", True),
                        ("planned_start__isnull", True),
                        ("planned_end__gte", models.F("planned_start")),
                        _connector="OR",
                    ),
                    name="communities_renovationitem_planned_end_after_start",
                    violation_error_message="The planned end cannot be before the planned start.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        ("actual_end__isnull", True),
                        ("actual_start__isnull", True),
                        ("actual_end__gte", models.F("actual_start")),
                        _connector="OR",
                    ),
                    name="communities_renovationitem_actual_end_after_start",
                    violation_error_message="The actual end cannot be before the actual start.",
                ),
            ],
        },
    ),
    migrations.CreateModel(
        name="Rating",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "entrance_unit",
                models.PositiveSmallIntegerField(
                    validators=[django.core.validators.MinValueValidator(1)],
                    verbose_name="entrance unit",
                ),
            ),
            (
                "room_number",
                models.CharField(
                    help_text="As on the door, for example 301.",
                    max_length=20,
                    verbose_name="room number",
                ),
            ),
            (
                "work_score",
                models.PositiveSmallIntegerField(
                    help_text="Quality of what was built, 1 to 5.",
                    validators=[
                        django.core.validators.MinValueValidator(1),
                        django.core.validators.MaxValueValidator(5),
                    ],
                    verbose_name="the work itself",
                ),
            ),
            (
                "process_score",
                models.PositiveSmallIntegerField(
                    help_text="How the works were run: notice, disturbance, safety, tidiness; 1 to 5.",
                    validators=[
                        django.core.validators.MinValueValidator(1),
                        django.core.validators.MaxValueValidator(5),
                    ],
                    verbose_name="the process",
                ),
            ),
            (
                "management_score",
                models.PositiveSmallIntegerField(
                    help_text="Upkeep since completion, 1 to 5.",
                    validators=[
                        django.core.validators.MinValueValidator(1),
                        django.core.validators.MaxValueValidator(5),
                    ],
                    verbose_name="management afterwards",
                ),
            ),
            (
                "comment",
                models.TextField(
                    blank=True,
                    validators=[django.core.validators.MaxLengthValidator(1000)],
                    verbose_name="comment",
                ),
            ),
            (
                "comment_hidden",
                models.BooleanField(
                    default=False,
                    help_text="The scores still count; the comment is not published.",
                    verbose_name="comment hidden from the public",
                ),
            ),
            (
                "channel",
                models.CharField(
                    choices=[
                        ("survey", "Questionnaire survey"),
                        ("meeting", "Residents' meeting"),
                        ("wechat", "WeChat"),
                        ("grid_visit", "Grid inspector's door-to-door visit"),
                    ],
                    max_length=20,
                    verbose_name="collected through",
                ),
            ),
            (
                "rated_on",
                models.DateField(default=django.utils.timezone.localdate, verbose_name="rated on"),
            ),
            ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
            (
                "building",
                models.ForeignKey(
                    help_text="The household's building (personal data: staff only).",
                    on_delete=django.db.models.deletion.RESTRICT,
                    related_name="ratings",
                    to="communities.building",
                    verbose_name="building",
                ),
            ),
            (
                "community",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="ratings",
                    to="communities.community",
                    verbose_name="community",
                ),
            ),
            (
                "item",
                models.ForeignKey(
                    blank=True,
                    help_text="Leave empty for a rating of the whole community.",
                    null=True,
                    on_delete=django.db.models.deletion.RESTRICT,
                    related_name="ratings",
                    to="communities.renovationitem",
                    verbose_name="renovation item",
                ),
            ),
        ],
        options={
            "verbose_name": "rating",
            "verbose_name_plural": "ratings",
            "ordering": ["community_id", "-rated_on", "-id"],
            "indexes": [
                models.Index(fields=["community", "-rated_on", "-id"], name="rating_community_date")
            ],
            "constraints": [
                models.CheckConstraint(
                    condition=models.Q(
                        ("work_score__gte", 1),
                        ("work_score__lte", 5),
                        ("process_score__gte", 1),
                        ("process_score__lte", 5),
                        ("management_score__gte", 1),
                        ("management_score__lte", 5),
                    ),
                    name="communities_rating_scores_1_to_5",
                    violation_error_message="Each score is from 1 to 5.",
                ),
                models.UniqueConstraint(
                    condition=models.Q(("item__isnull", False)),
                    fields=("item", "building", "entrance_unit", "room_number"),
                    name="communities_rating_one_per_household_item",
                    violation_error_message="This household has already rated this item.",
                ),
                models.UniqueConstraint(
                    condition=models.Q(("item__isnull", True)),
                    fields=("community", "building", "entrance_unit", "room_number"),
                    name="communities_rating_one_per_household_community",
                    violation_error_message="This household has already rated this community.",
                ),
            ],
        },
    ),
    migrations.CreateModel(
        name="Photo",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "phase",
                models.CharField(
                    choices=[
                        ("before", "Before"),
                        ("during", "During the works"),
                        ("after", "After"),
                    ],
                    max_length=10,
                    verbose_name="phase",
                ),
            ),
            (
                "taken_on",
                models.DateField(
                    validators=[communities.construction.photo_models._not_in_future],
                    verbose_name="taken on",
                ),
            ),
            (
                "caption",
                models.CharField(
                    blank=True,
                    help_text="What the photo shows; read aloud to blind visitors as its description.",
                    max_length=200,
                    verbose_name="caption",
                ),
            ),
            (
                "image",
                models.FileField(
                    help_text="JPEG, PNG or WebP, at most 10 MB; stored at most 1600 pixels wide.",
                    max_length=200,
                    upload_to=communities.construction.photo_models.community_photo_upload_to,
                    validators=[
                        django.core.validators.FileExtensionValidator(
                            ["jpg", "jpeg", "png", "webp"]
                        ),
                        communities.core.files.PhotoValidator(),
                    ],
                    verbose_name="photo",
                ),
            ),
            (
                "thumbnail",
                models.FileField(
                    editable=False,
                    max_length=200,
                    upload_to=communities.construction.photo_models.community_photo_upload_to,
                    verbose_name="thumbnail",
                ),
            ),
            ("width", models.PositiveIntegerField(default=0, editable=False, verbose_name="width")),
            (
                "height",
                models.PositiveIntegerField(default=0, editable=False, verbose_name="height"),
            ),
            (
                "thumbnail_width",
                models.PositiveIntegerField(
                    default=0, editable=False, verbose_name="thumbnail width"
                ),
            ),
            (
                "thumbnail_height",
                models.PositiveIntegerField(
                    default=0, editable=False, verbose_name="thumbnail height"
                ),
            ),
            (
                "acceptance",
                models.ForeignKey(
                    blank=True,
                    help_text="The completion acceptance it was taken for, if any.",
                    null=True,
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="photos",
                    to="communities.acceptance",
                    verbose_name="acceptance",
                ),
            ),
            (
                "community",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="photos",
                    to="communities.community",
                    verbose_name="community",
                ),
            ),
            (
                "inspection",
                models.ForeignKey(
                    blank=True,
                    help_text="The inspection it was taken for, if any.",
                    null=True,
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="photos",
                    to="communities.inspection",
                    verbose_name="inspection",
                ),
            ),
            (
                "item",
                models.ForeignKey(
                    blank=True,
                    help_text="Leave empty for a photo of the whole community.",
                    null=True,
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="photos",
                    to="communities.renovationitem",
                    verbose_name="renovation item",
                ),
            ),
        ],
        options={
            "verbose_name": "photo",
            "verbose_name_plural": "photos",
            "ordering": ["-taken_on", "-id"],
            "indexes": [
                models.Index(fields=["-taken_on", "-id"], name="photo_latest"),
                models.Index(fields=["community", "taken_on", "id"], name="photo_community"),
            ],
        },
    ),
    migrations.CreateModel(
        name="ItemQuantity",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "measure",
                models.CharField(
                    choices=[
                        ("water_supply_pipe", "Water supply pipes renovated"),
                        ("drainage_pipe", "Drainage pipes renovated"),
                        ("gas_pipe", "Gas pipes renovated"),
                        ("heating_pipe", "Heating pipes renovated"),
                        ("power_line", "Power lines renovated"),
                        ("telecom_line", "Telecom lines renovated"),
                        ("elevators", "Elevators added"),
                        ("parking_spaces", "Parking spaces added"),
                        ("ev_charging_points", "EV charging points added"),
                        ("ebike_charging_points", "E-bike charging points added"),
                        ("energy_retrofit", "Energy-saving retrofit"),
                        ("elderly_care_facilities", "Elderly-care facilities added"),
                        ("childcare_facilities", "Childcare facilities added"),
                        ("other_service_facilities", "Other community service facilities added"),
                        ("culture_fitness_area", "Culture and fitness space added"),
                    ],
                    max_length=30,
                    verbose_name="measure",
                ),
            ),
            (
                "amount",
                models.DecimalField(
                    decimal_places=2,
                    max_digits=12,
                    validators=[
                        django.core.validators.MinValueValidator(
                            0, message="This cannot be negative."
                        )
                    ],
                    verbose_name="amount",
                ),
            ),
            (
                "item",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="quantities",
                    to="communities.renovationitem",
                    verbose_name="renovation item",
                ),
            ),
        ],
        options={
            "verbose_name": "quantity delivered",
            "verbose_name_plural": "quantities delivered",
            "ordering": ["item_id", "measure"],
            "indexes": [models.Index(fields=["measure", "item"], name="quantity_measure_item")],
            "constraints": [
                models.UniqueConstraint(
                    fields=("item", "measure"),
                    name="communities_itemquantity_once_per_item",
                    violation_error_message="This item already records this measure.",
                ),
                models.CheckConstraint(
                    condition=models.Q(("amount__gte", 0)),
                    name="communities_itemquantity_amount_not_negative",
                    violation_error_message="The amount cannot be negative.",
                ),
            ],
        },
    ),
    migrations.CreateModel(
        name="ItemParty",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "role",
                models.CharField(
                    choices=[
                        ("contractor", "Contractor"),
                        ("supervisor", "Supervisor"),
                        ("designer", "Designer"),
                    ],
                    max_length=20,
                    verbose_name="role",
                ),
            ),
            (
                "party",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="item_links",
                    to="communities.party",
                    verbose_name="party",
                ),
            ),
            (
                "item",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="party_links",
                    to="communities.renovationitem",
                    verbose_name="renovation item",
                ),
            ),
        ],
        options={
            "verbose_name": "item party",
            "verbose_name_plural": "item parties",
            "ordering": ["item_id", "role", "id"],
            "indexes": [models.Index(fields=["party", "item"], name="itemparty_party_item")],
            "constraints": [
                models.UniqueConstraint(
                    fields=("item", "role", "party"),
                    name="communities_itemparty_once_per_role",
                    violation_error_message="This party already has this role on this item.",
                )
            ],
        },
    ),
    migrations.CreateModel(
        name="HistoricalSettlement",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            (
                "settled_amount",
                models.DecimalField(
                    decimal_places=2,
                    max_digits=14,
                    validators=[
                        django.core.validators.MinValueValidator(
                            0, message="This cannot be negative."
                        )
                    ],
                    verbose_name="settled amount (yuan)",
                ),
            ),
            (
                "auditor",
                models.CharField(
                    help_text="The audit firm or office that audited it.",
                    max_length=200,
                    verbose_name="auditor",
                ),
            ),
            (
                "audited_on",
                models.DateField(
                    validators=[communities.construction.acceptance._not_in_future],
                    verbose_name="audited on",
                ),
            ),
            (
                "explanation",
                models.TextField(
                    blank=True,
                    help_text="Required when the settled amount is over the budget: why.",
                    verbose_name="explanation",
                ),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "item",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.renovationitem",
                    verbose_name="renovation item",
                ),
            ),
        ],
        options={
            "verbose_name": "historical settlement",
            "verbose_name_plural": "historical settlements",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalRating",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            (
                "entrance_unit",
                models.PositiveSmallIntegerField(
                    validators=[django.core.validators.MinValueValidator(1)],
                    verbose_name="entrance unit",
                ),
            ),
            (
                "room_number",
                models.CharField(
                    help_text="As on the door, for example 301.",
                    max_length=20,
                    verbose_name="room number",
                ),
            ),
            (
                "work_score",
                models.PositiveSmallIntegerField(
                    help_text="Quality of what was built, 1 to 5.",
                    validators=[
                        django.core.validators.MinValueValidator(1),
                        django.core.validators.MaxValueValidator(5),
                    ],
                    verbose_name="the work itself",
                ),
            ),
            (
                "process_score",
                models.PositiveSmallIntegerField(
                    help_text="How the works were run: notice, disturbance, safety, tidiness; 1 to 5.",
                    validators=[
                        django.core.validators.MinValueValidator(1),
                        django.core.validators.MaxValueValidator(5),
                    ],
                    verbose_name="the process",
                ),
            ),
            (
                "management_score",
                models.PositiveSmallIntegerField(
                    help_text="Upkeep since completion, 1 to 5.",
                    validators=[
                        django.core.validators.MinValueValidator(1),
                        django.core.validators.MaxValueValidator(5),
                    ],
                    verbose_name="management afterwards",
                ),
            ),
            (
                "comment",
                models.TextField(
                    blank=True,
                    validators=[django.core.validators.MaxLengthValidator(1000)],
                    verbose_name="comment",
                ),
            ),
            (
                "comment_hidden",
                models.BooleanField(
                    default=False,
                    help_text="The scores still count; the comment is not published.",
                    verbose_name="comment hidden from the public",
                ),
            ),
            (
                "channel",
                models.CharField(
                    choices=[
                        ("survey", "Questionnaire survey"),
                        ("meeting", "Residents' meeting"),
                        ("wechat", "WeChat"),
                        ("grid_visit", "Grid inspector's door-to-door visit"),
                    ],
                    max_length=20,
                    verbose_name="collected through",
                ),
            ),
            (
                "rated_on",
                models.DateField(default=django.utils.timezone.localdate, verbose_name="rated on"),
            ),
            (
                "created_at",
                models.DateTimeField(blank=True, editable=False, verbose_name="created at"),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "building",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    help_text="The household's building (personal data: staff only).",
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.building",
                    verbose_name="building",
                ),
            ),
            (
                "community",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.community",
                    verbose_name="community",
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "item",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    help_text="Leave empty for a rating of the whole community.",
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.renovationitem",
                    verbose_name="renovation item",
                ),
            ),
        ],
        options={
            "verbose_name": "historical rating",
            "verbose_name_plural": "historical ratings",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalPhoto",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            (
                "phase",
                models.CharField(
                    choices=[
                        ("before", "Before"),
                        ("during", "During the works"),
                        ("after", "After"),
                    ],
                    max_length=10,
                    verbose_name="phase",
                ),
            ),
            (
                "taken_on",
                models.DateField(
                    validators=[communities.construction.photo_models._not_in_future],
                    verbose_name="taken on",
                ),
            ),
            (
                "caption",
                models.CharField(
                    blank=True,
                    help_text="What the photo shows; read aloud to blind visitors as its description.",
                    max_length=200,
                    verbose_name="caption",
                ),
            ),
            (
                "image",
                models.TextField(
                    help_text="JPEG, PNG or WebP, at most 10 MB; stored at most 1600 pixels wide.",
                    max_length=200,
                    validators=[
                        django.core.validators.FileExtensionValidator(
                            ["jpg", "jpeg", "png", "webp"]
                        ),
                        communities.core.files.PhotoValidator(),
                    ],
                    verbose_name="photo",
                ),
            ),
            (
                "thumbnail",
                models.TextField(editable=False, max_length=200, verbose_name="thumbnail"),
            ),
            ("width", models.PositiveIntegerField(default=0, editable=False, verbose_name="width")),
            (
                "height",
                models.PositiveIntegerField(default=0, editable=False, verbose_name="height"),
            ),
            (
                "thumbnail_width",
                models.PositiveIntegerField(
                    default=0, editable=False, verbose_name="thumbnail width"
                ),
            ),
            (
                "thumbnail_height",
                models.PositiveIntegerField(
                    default=0, editable=False, verbose_name="thumbnail height"
                ),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "acceptance",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    help_text="The completion acceptance it was taken for, if any.",
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.acceptance",
                    verbose_name="acceptance",
                ),
            ),
            (
                "community",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.community",
                    verbose_name="community",
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "inspection",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    help_text="The inspection it was taken for, if any.",
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.inspection",
                    verbose_name="inspection",
                ),
            ),
            (
                "item",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    help_text="Leave empty for a photo of the whole community.",
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.renovationitem",
                    verbose_name="renovation item",
                ),
            ),
        ],
        options={
            "verbose_name": "historical photo",
            "verbose_name_plural": "historical photos",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalItemQuantity",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            (
                "measure",
                models.CharField(
                    choices=[
                        ("water_supply_pipe", "Water supply pipes renovated"),
                        ("drainage_pipe", "Drainage pipes renovated"),
                        ("gas_pipe", "Gas pipes renovated"),
                        ("heating_pipe", "Heating pipes renovated"),
                        ("power_line", "Power lines renovated"),
                        ("telecom_line", "Telecom lines renovated"),
                        ("elevators", "Elevators added"),
                        ("parking_spaces", "Parking spaces added"),
                        ("ev_charging_points", "EV charging points added"),
                        ("ebike_charging_points", "E-bike charging points added"),
                        ("energy_retrofit", "Energy-saving retrofit"),
                        ("elderly_care_facilities", "Elderly-care facilities added"),
                        ("childcare_facilities", "Childcare facilities added"),
                        ("other_service_facilities", "Other community service facilities added"),
                        ("culture_fitness_area", "Culture and fitness space added"),
                    ],
                    max_length=30,
                    verbose_name="measure",
                ),
            ),
            (
                "amount",
                models.DecimalField(
                    decimal_places=2,
                    max_digits=12,
                    validators=[
                        django.core.validators.MinValueValidator(
                            0, message="This cannot be negative."
                        )
                    ],
                    verbose_name="amount",
                ),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "item",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.renovationitem",
                    verbose_name="renovation item",
                ),
            ),
        ],
        options={
            "verbose_name": "historical quantity delivered",
            "verbose_name_plural": "historical quantities delivered",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalItemParty",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            (
                "role",
                models.CharField(
                    choices=[
                        ("contractor", "Contractor"),
                        ("supervisor", "Supervisor"),
                        ("designer", "Designer"),
                    ],
                    max_length=20,
                    verbose_name="role",
                ),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "party",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.party",
                    verbose_name="party",
                ),
            ),
            (
                "item",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.renovationitem",
                    verbose_name="renovation item",
                ),
            ),
        ],
        options={
            "verbose_name": "historical item party",
            "verbose_name_plural": "historical item parties",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalInspection",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            (
                "visited_on",
                models.DateField(
                    validators=[communities.construction.models.not_in_future],
                    verbose_name="date of the visit",
                ),
            ),
            (
                "inspector",
                models.CharField(
                    help_text="Who inspected, and for whom.",
                    max_length=100,
                    verbose_name="inspector",
                ),
            ),
            (
                "kind",
                models.CharField(
                    choices=[
                        ("quality", "Quality"),
                        ("safety", "Safety"),
                        ("civilised", "Civilised construction"),
                        ("completion", "Completion check"),
                    ],
                    max_length=20,
                    verbose_name="kind",
                ),
            ),
            ("note", models.TextField(blank=True, verbose_name="note")),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "community",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.community",
                    verbose_name="community",
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "item",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    help_text="Leave empty for a visit to the whole site.",
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.renovationitem",
                    verbose_name="renovation item",
                ),
            ),
        ],
        options={
            "verbose_name": "historical inspection",
            "verbose_name_plural": "historical inspections",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalFundingLine",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            (
                "source",
                models.CharField(
                    choices=[
                        ("central_subsidy", "Central subsidy"),
                        ("local_budget", "Local budget"),
                        ("special_bonds", "Special-purpose bonds"),
                        ("utility_companies", "Utility companies"),
                        ("social_capital", "Social capital"),
                        ("residents", "Residents' contribution"),
                        ("other", "Other"),
                    ],
                    max_length=20,
                    verbose_name="source",
                ),
            ),
            (
                "amount",
                models.DecimalField(
                    decimal_places=2,
                    max_digits=14,
                    validators=[
                        django.core.validators.MinValueValidator(
                            0, message="This cannot be negative."
                        )
                    ],
                    verbose_name="amount (yuan)",
                ),
            ),
            ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "item",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.renovationitem",
                    verbose_name="renovation item",
                ),
            ),
        ],
        options={
            "verbose_name": "historical funding line",
            "verbose_name_plural": "historical funding lines",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalFacility",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            (
                "kind",
                models.CharField(
                    choices=[
                        ("canteen", "Community canteen"),
                        ("day_care", "Elderly day-care centre"),
                        ("party_culture_centre", "Party-building culture centre"),
                        ("ebike_charging", "E-bike charging shed"),
                        ("car_charging", "Car charging point"),
                        ("fitness", "Fitness facility"),
                        ("emergency_station", "Emergency rescue station"),
                        ("parcel_locker", "Parcel locker"),
                        ("children_play_area", "Children's play area"),
                        ("service_centre", "Community service centre"),
                        ("grid_station", "Grid service station"),
                        ("leisure_square", "Leisure square"),
                        ("childcare", "Childcare centre"),
                        ("convenience_shop", "Convenience shop"),
                        ("waste_sorting", "Waste sorting point"),
                        ("parking", "Parking"),
                        ("other", "Other"),
                    ],
                    max_length=30,
                    verbose_name="kind",
                ),
            ),
            ("name", models.CharField(max_length=100, verbose_name="name")),
            (
                "capacity",
                models.PositiveIntegerField(
                    blank=True,
                    help_text="Seats, places or charging points.",
                    null=True,
                    verbose_name="capacity",
                ),
            ),
            (
                "area_m2",
                models.DecimalField(
                    blank=True, decimal_places=2, max_digits=10, null=True, verbose_name="area (m²)"
                ),
            ),
            (
                "opened_on",
                models.DateField(
                    blank=True,
                    help_text="Leave empty while it is not yet open.",
                    null=True,
                    verbose_name="opened on",
                ),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "community",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.community",
                    verbose_name="community",
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "renovation_item",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.renovationitem",
                    verbose_name="built by renovation item",
                ),
            ),
        ],
        options={
            "verbose_name": "historical facility",
            "verbose_name_plural": "historical facilities",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalAcceptance",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            (
                "accepted_on",
                models.DateField(
                    validators=[communities.construction.acceptance._not_in_future],
                    verbose_name="date of the acceptance",
                ),
            ),
            (
                "conclusion",
                models.CharField(
                    choices=[
                        ("accepted", "Accepted"),
                        ("with_conditions", "Accepted with conditions"),
                        ("not_accepted", "Not accepted"),
                    ],
                    max_length=20,
                    verbose_name="conclusion",
                ),
            ),
            (
                "builder",
                models.CharField(
                    help_text="The employer (建设单位): the district's renovation office.",
                    max_length=200,
                    verbose_name="builder",
                ),
            ),
            ("note", models.TextField(blank=True, verbose_name="note")),
            (
                "recorded_on",
                models.DateField(
                    blank=True,
                    help_text="Set when the acceptance is recorded; it is then a decision.",
                    null=True,
                    verbose_name="recorded on",
                ),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "item",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.renovationitem",
                    verbose_name="renovation item",
                ),
            ),
        ],
        options={
            "verbose_name": "historical acceptance",
            "verbose_name_plural": "historical acceptances",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="FundingLine",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "source",
                models.CharField(
                    choices=[
                        ("central_subsidy", "Central subsidy"),
                        ("local_budget", "Local budget"),
                        ("special_bonds", "Special-purpose bonds"),
                        ("utility_companies", "Utility companies"),
                        ("social_capital", "Social capital"),
                        ("residents", "Residents' contribution"),
                        ("other", "Other"),
                    ],
                    max_length=20,
                    verbose_name="source",
                ),
            ),
            (
                "amount",
                models.DecimalField(
                    decimal_places=2,
                    max_digits=14,
                    validators=[
                        django.core.validators.MinValueValidator(
                            0, message="This cannot be negative."
                        )
                    ],
                    verbose_name="amount (yuan)",
                ),
            ),
            ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
            (
                "item",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="funding",
                    to="communities.renovationitem",
                    verbose_name="renovation item",
                ),
            ),
        ],
        options={
            "verbose_name": "funding line",
            "verbose_name_plural": "funding lines",
            "ordering": ["item_id", "source"],
            "indexes": [models.Index(fields=["source"], name="funding_source")],
            "constraints": [
                models.UniqueConstraint(
                    fields=("item", "source"),
                    name="communities_fundingline_one_line_per_source",
                    violation_error_message="This item already has a funding line from this source.",
                ),
                models.CheckConstraint(
                    condition=models.Q(("amount__gte", 0)),
                    name="communities_fundingline_amount_not_negative",
                    violation_error_message="The amount cannot be negative.",
                ),
            ],
        },
    ),
    migrations.CreateModel(
        name="Facility",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "kind",
                models.CharField(
                    choices=[
                        ("canteen", "Community canteen"),
                        ("day_care", "Elderly day-care centre"),
                        ("party_culture_centre", "Party-building culture centre"),
                        ("ebike_charging", "E-bike charging shed"),
                        ("car_charging", "Car charging point"),
                        ("fitness", "Fitness facility"),
                        ("emergency_station", "Emergency rescue station"),
                        ("parcel_locker", "Parcel locker"),
                        ("children_play_area", "Children's play area"),
                        ("service_centre", "Community service centre"),
                        ("grid_station", "Grid service station"),
                        ("leisure_square", "Leisure square"),
                        ("childcare", "Childcare centre"),
                        ("convenience_shop", "Convenience shop"),
                        ("waste_sorting", "Waste sorting point"),
                        ("parking", "Parking"),
                        ("other", "Other"),
                    ],
                    max_length=30,
                    verbose_name="kind",
                ),
            ),
            ("name", models.CharField(max_length=100, verbose_name="name")),
            (
                "capacity",
                models.PositiveIntegerField(
                    blank=True,
                    help_text="Seats, places or charging points.",
                    null=True,
                    verbose_name="capacity",
                ),
            ),
            (
                "area_m2",
                models.DecimalField(
                    blank=True, decimal_places=2, max_digits=10, null=True, verbose_name="area (m²)"
                ),
            ),
            (
                "opened_on",
                models.DateField(
                    blank=True,
                    help_text="Leave empty while it is not yet open.",
                    null=True,
                    verbose_name="opened on",
                ),
            ),
            (
                "community",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="facilities",
                    to="communities.community",
                    verbose_name="community",
                ),
            ),
            (
                "renovation_item",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="facilities",
                    to="communities.renovationitem",
                    verbose_name="built by renovation item",
                ),
            ),
        ],
        options={
            "verbose_name": "facility",
            "verbose_name_plural": "facilities",
            "ordering": ["community_id", "kind", "name"],
            "indexes": [
                models.Index(fields=["kind", "opened_on"], name="facility_kind_opened"),
                models.Index(fields=["community", "kind", "name"], name="facility_community_kind"),
            ],
            "constraints": [
                models.CheckConstraint(
                    condition=models.Q(
                        ("area_m2__isnull", True), ("area_m2__gte", 0), _connector="OR"
                    ),
                    name="communities_facility_area_not_negative",
                    violation_error_message="The area cannot be negative.",
                )
            ],
        },
    ),
    migrations.CreateModel(
        name="RenovationKind",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            ("code", models.SlugField(unique=True, verbose_name="code")),
            ("name", models.CharField(max_length=50, verbose_name="name")),
            ("name_en", models.CharField(blank=True, max_length=80, verbose_name="English name")),
            (
                "category",
                models.CharField(
                    choices=[
                        ("basic", "Basic"),
                        ("improvement", "Improvement"),
                        ("enhancement", "Enhancement"),
                    ],
                    max_length=20,
                    verbose_name="national category",
                ),
            ),
            (
                "is_reinforcement",
                models.BooleanField(
                    default=False,
                    help_text="Work of this kind may proceed on C and D grade buildings (reinforce first).",
                    verbose_name="structural reinforcement",
                ),
            ),
            ("sort_order", models.PositiveSmallIntegerField(default=0, verbose_name="sort order")),
        ],
        options={
            "verbose_name": "renovation kind",
            "verbose_name_plural": "renovation kinds",
            "ordering": ["category", "sort_order", "code"],
            "indexes": [
                models.Index(fields=["category", "sort_order", "code"], name="kind_category_order")
            ],
        },
    ),
    migrations.CreateModel(
        name="Proposal",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            ("title", models.CharField(max_length=200, verbose_name="title")),
            (
                "description",
                models.TextField(
                    blank=True,
                    validators=[django.core.validators.MaxLengthValidator(4000)],
                    verbose_name="description",
                ),
            ),
            (
                "supporters",
                models.PositiveIntegerField(
                    help_text="How many households support the proposal.",
                    validators=[django.core.validators.MinValueValidator(1)],
                    verbose_name="households supporting",
                ),
            ),
            (
                "channel",
                models.CharField(
                    choices=[
                        ("survey", "Questionnaire survey"),
                        ("meeting", "Residents' meeting"),
                        ("wechat", "WeChat"),
                        ("grid_visit", "Grid inspector's door-to-door visit"),
                    ],
                    max_length=20,
                    verbose_name="collected through",
                ),
            ),
            (
                "submitted_on",
                models.DateField(
                    default=django.utils.timezone.localdate, verbose_name="proposed on"
                ),
            ),
            (
                "status",
                models.CharField(
                    choices=[
                        ("submitted", "Under consideration"),
                        ("adopted", "Adopted"),
                        ("declined", "Declined"),
                    ],
                    default="submitted",
                    max_length=20,
                    verbose_name="status",
                ),
            ),
            ("decided_on", models.DateField(blank=True, null=True, verbose_name="decided on")),
            (
                "decline_reason",
                models.TextField(
                    blank=True,
                    help_text="Shown to the public.",
                    validators=[django.core.validators.MaxLengthValidator(2000)],
                    verbose_name="reason for declining",
                ),
            ),
            ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
            ("updated_at", models.DateTimeField(auto_now=True, verbose_name="last updated")),
            (
                "community",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="proposals",
                    to="communities.community",
                    verbose_name="community",
                ),
            ),
            (
                "decided_by",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="decided by",
                ),
            ),
            (
                "item",
                models.ForeignKey(
                    blank=True,
                    help_text="The item the adopted proposal became or joined.",
                    null=True,
                    on_delete=django.db.models.deletion.RESTRICT,
                    related_name="proposals",
                    to="communities.renovationitem",
                    verbose_name="renovation item",
                ),
            ),
            (
                "kind",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="proposals",
                    to="communities.renovationkind",
                    verbose_name="kind",
                ),
            ),
        ],
        options={
            "verbose_name": "proposal",
            "verbose_name_plural": "proposals",
            "ordering": ["community_id", "-submitted_on", "-id"],
            "permissions": [("decide_proposal", "Can adopt or decline proposals")],
            "indexes": [
                models.Index(
                    fields=["community", "-submitted_on", "-id"], name="proposal_community_date"
                ),
                models.Index(fields=["status", "submitted_on"], name="proposal_status_date"),
            ],
            "constraints": [
                models.CheckConstraint(
                    condition=models.Q(("supporters__gte", 1)),
                    name="communities_proposal_supporters_positive",
                    violation_error_message="At least one household supports a proposal.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        models.Q(
                            ("decided_on__isnull", True),
                            ("item__isnull", True),
                            ("status", "submitted"),
                            ("decline_reason", ""),
                        ),
                        models.Q(
                            ("decided_on__isnull", False),
                            ("item__isnull", False),
                            ("status", "adopted"),
                            ("decline_reason", ""),
                        ),
                        models.Q(
                            ("decided_on__isnull", False),
                            ("item__isnull", True),
                            ("status", "declined"),
                            models.Q(("decline_reason", ""), _negated=True),
                        ),
                        _connector="OR",
                    ),
                    name="communities_proposal_decision_complete",
                    violation_error_message="An adopted proposal has its item and decision date, a declined one its reason and decision date, and one under consideration neither.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        ("decided_on__isnull", True),
                        ("decided_on__gte", models.F("submitted_on")),
                        _connector="OR",
                    ),
                    name="communities_proposal_decided_after_proposed",
                    violation_error_message="A proposal cannot be decided before it was made.",
                ),
            ],
        },
    ),
    migrations.CreateModel(
        name="KindMeasure",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "measure",
                models.CharField(
                    choices=[
                        ("water_supply_pipe", "Water supply pipes renovated"),
                        ("drainage_pipe", "Drainage pipes renovated"),
                        ("gas_pipe", "Gas pipes renovated"),
                        ("heating_pipe", "Heating pipes renovated"),
                        ("power_line", "Power lines renovated"),
                        ("telecom_line", "Telecom lines renovated"),
                        ("elevators", "Elevators added"),
                        ("parking_spaces", "Parking spaces added"),
                        ("ev_charging_points", "EV charging points added"),
                        ("ebike_charging_points", "E-bike charging points added"),
                        ("energy_retrofit", "Energy-saving retrofit"),
                        ("elderly_care_facilities", "Elderly-care facilities added"),
                        ("childcare_facilities", "Childcare facilities added"),
                        ("other_service_facilities", "Other community service facilities added"),
                        ("culture_fitness_area", "Culture and fitness space added"),
                    ],
                    max_length=30,
                    verbose_name="measure",
                ),
            ),
            (
                "kind",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="measures",
                    to="communities.renovationkind",
                    verbose_name="kind",
                ),
            ),
        ],
        options={
            "verbose_name": "measure of a kind",
            "verbose_name_plural": "measures of kinds",
            "ordering": ["kind_id", "measure"],
            "constraints": [
                models.UniqueConstraint(
                    fields=("kind", "measure"),
                    name="communities_kindmeasure_once_per_kind",
                    violation_error_message="This kind already carries this measure.",
                )
            ],
        },
    ),
    migrations.CreateModel(
        name="HistoricalRenovationItem",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            ("title", models.CharField(max_length=200, verbose_name="title")),
            ("description", models.TextField(blank=True, verbose_name="description")),
            (
                "quantity",
                models.DecimalField(
                    blank=True, decimal_places=2, max_digits=12, null=True, verbose_name="quantity"
                ),
            ),
            (
                "unit",
                models.CharField(
                    blank=True, help_text="m², m, units…", max_length=20, verbose_name="unit"
                ),
            ),
            (
                "budget",
                models.DecimalField(
                    decimal_places=2,
                    default=Decimal("0"),
                    max_digits=14,
                    validators=[
                        django.core.validators.MinValueValidator(
                            0, message="This cannot be negative."
                        )
                    ],
                    verbose_name="budget (yuan)",
                ),
            ),
            (
                "spent",
                models.DecimalField(
                    decimal_places=2,
                    default=Decimal("0"),
                    max_digits=14,
                    validators=[
                        django.core.validators.MinValueValidator(
                            0, message="This cannot be negative."
                        )
                    ],
                    verbose_name="spent (yuan)",
                ),
            ),
            (
                "status",
                models.CharField(
                    choices=[
                        ("planned", "Planned"),
                        ("designing", "Designing"),
                        ("under_construction", "Under construction"),
                        ("completed", "Completed"),
                        ("accepted", "Accepted"),
                        ("cancelled", "Cancelled"),
                    ],
                    default="planned",
                    max_length=20,
                    verbose_name="status",
                ),
            ),
            (
                "progress",
                models.PositiveSmallIntegerField(
                    default=0,
                    validators=[
                        django.core.validators.MinValueValidator(0),
                        django.core.validators.MaxValueValidator(100),
                    ],
                    verbose_name="progress (%)",
                ),
            ),
            (
                "planned_start",
                models.DateField(blank=True, null=True, verbose_name="planned start"),
            ),
            ("planned_end", models.DateField(blank=True, null=True, verbose_name="planned end")),
            ("actual_start", models.DateField(blank=True, null=True, verbose_name="actual start")),
            ("actual_end", models.DateField(blank=True, null=True, verbose_name="actual end")),
            ("contractor", models.CharField(blank=True, max_length=100, verbose_name="contractor")),
            ("supervisor", models.CharField(blank=True, max_length=100, verbose_name="supervisor")),
            (
                "updated_at",
                models.DateTimeField(blank=True, editable=False, verbose_name="last updated"),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "building",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    help_text="Leave empty for work on the whole community.",
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.building",
                    verbose_name="building",
                ),
            ),
            (
                "community",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.community",
                    verbose_name="community",
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "kind",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.renovationkind",
                    verbose_name="kind",
                ),
            ),
        ],
        options={
            "verbose_name": "historical renovation item",
            "verbose_name_plural": "historical renovation items",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalProposal",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            ("title", models.CharField(max_length=200, verbose_name="title")),
            (
                "description",
                models.TextField(
                    blank=True,
                    validators=[django.core.validators.MaxLengthValidator(4000)],
                    verbose_name="description",
                ),
            ),
            (
                "supporters",
                models.PositiveIntegerField(
                    help_text="How many households support the proposal.",
                    validators=[django.core.validators.MinValueValidator(1)],
                    verbose_name="households supporting",
                ),
            ),
            (
                "channel",
                models.CharField(
                    choices=[
                        ("survey", "Questionnaire survey"),
                        ("meeting", "Residents' meeting"),
                        ("wechat", "WeChat"),
                        ("grid_visit", "Grid inspector's door-to-door visit"),
                    ],
                    max_length=20,
                    verbose_name="collected through",
                ),
            ),
            (
                "submitted_on",
                models.DateField(
                    default=django.utils.timezone.localdate, verbose_name="proposed on"
                ),
            ),
            (
                "status",
                models.CharField(
                    choices=[
                        ("submitted", "Under consideration"),
                        ("adopted", "Adopted"),
                        ("declined", "Declined"),
                    ],
                    default="submitted",
                    max_length=20,
                    verbose_name="status",
                ),
            ),
            ("decided_on", models.DateField(blank=True, null=True, verbose_name="decided on")),
            (
                "decline_reason",
                models.TextField(
                    blank=True,
                    help_text="Shown to the public.",
                    validators=[django.core.validators.MaxLengthValidator(2000)],
                    verbose_name="reason for declining",
                ),
            ),
            (
                "created_at",
                models.DateTimeField(blank=True, editable=False, verbose_name="created at"),
            ),
            (
                "updated_at",
                models.DateTimeField(blank=True, editable=False, verbose_name="last updated"),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "community",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.community",
                    verbose_name="community",
                ),
            ),
            (
                "decided_by",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="decided by",
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "item",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    help_text="The item the adopted proposal became or joined.",
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.renovationitem",
                    verbose_name="renovation item",
                ),
            ),
            (
                "kind",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.renovationkind",
                    verbose_name="kind",
                ),
            ),
        ],
        options={
            "verbose_name": "historical proposal",
            "verbose_name_plural": "historical proposals",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalKindMeasure",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            (
                "measure",
                models.CharField(
                    choices=[
                        ("water_supply_pipe", "Water supply pipes renovated"),
                        ("drainage_pipe", "Drainage pipes renovated"),
                        ("gas_pipe", "Gas pipes renovated"),
                        ("heating_pipe", "Heating pipes renovated"),
                        ("power_line", "Power lines renovated"),
                        ("telecom_line", "Telecom lines renovated"),
                        ("elevators", "Elevators added"),
                        ("parking_spaces", "Parking spaces added"),
                        ("ev_charging_points", "EV charging points added"),
                        ("ebike_charging_points", "E-bike charging points added"),
                        ("energy_retrofit", "Energy-saving retrofit"),
                        ("elderly_care_facilities", "Elderly-care facilities added"),
                        ("childcare_facilities", "Childcare facilities added"),
                        ("other_service_facilities", "Other community service facilities added"),
                        ("culture_fitness_area", "Culture and fitness space added"),
                    ],
                    max_length=30,
                    verbose_name="measure",
                ),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "kind",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.renovationkind",
                    verbose_name="kind",
                ),
            ),
        ],
        options={
            "verbose_name": "historical measure of a kind",
            "verbose_name_plural": "historical measures of kinds",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="RepairRequest",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "entrance_unit",
                models.PositiveSmallIntegerField(
                    blank=True,
                    help_text="For example 2 for 2单元.",
                    null=True,
                    validators=[django.core.validators.MinValueValidator(1)],
                    verbose_name="entrance unit",
                ),
            ),
            (
                "category",
                models.CharField(
                    choices=[
                        ("plumbing", "Water supply and drainage"),
                        ("electrical", "Electrical"),
                        ("elevator", "Elevator"),
                        ("roof_leak", "Roof and leaks"),
                        ("sanitation", "Sanitation"),
                        ("greening", "Greening"),
                        ("security", "Security"),
                        ("public_facility", "Public facility"),
                        ("other", "Other"),
                    ],
                    max_length=20,
                    verbose_name="category",
                ),
            ),
            (
                "is_emergency",
                models.BooleanField(
                    default=False,
                    help_text="Danger to people or property: the emergency deadline applies.",
                    verbose_name="emergency",
                ),
            ),
            (
                "description",
                models.TextField(
                    validators=[django.core.validators.MaxLengthValidator(4000)],
                    verbose_name="description",
                ),
            ),
            (
                "photo",
                communities.core.files.UploadField(
                    blank=True,
                    upload_to=communities.repairs.models.photo_upload_to,
                    validators=[
                        django.core.validators.FileExtensionValidator(
                            ["jpg", "jpeg", "png", "webp"]
                        ),
                        communities.core.files.PhotoValidator(),
                    ],
                    verbose_name="photo",
                ),
            ),
            (
                "photo_url",
                models.URLField(
                    blank=True,
                    help_text="A photo sent as a link.",
                    max_length=500,
                    verbose_name="photo link",
                ),
            ),
            (
                "source",
                models.CharField(
                    choices=[
                        ("wechat", "WeChat one-tap report"),
                        ("hotline_12345", "Phone / 12345 hotline"),
                        ("grid_patrol", "Grid inspector on patrol"),
                        ("walk_in", "Walk-in"),
                        ("staff", "Staff"),
                        ("web", "Report form on the public site"),
                    ],
                    max_length=20,
                    verbose_name="source",
                ),
            ),
            (
                "reporter_name",
                models.CharField(blank=True, max_length=50, verbose_name="reporter's name"),
            ),
            (
                "reporter_phone",
                models.CharField(
                    blank=True,
                    max_length=30,
                    validators=[
                        django.core.validators.RegexValidator(
                            "^\\+?[0-9][0-9 \\-]{4,28}[0-9]$",
                            "Enter a phone number of digits, spaces and dashes.",
                        )
                    ],
                    verbose_name="reporter's phone",
                ),
            ),
            (
                "latitude",
                models.DecimalField(
                    blank=True,
                    decimal_places=6,
                    max_digits=9,
                    null=True,
                    validators=[
                        django.core.validators.MinValueValidator(3.8),
                        django.core.validators.MaxValueValidator(53.6),
                    ],
                    verbose_name="latitude",
                ),
            ),
            (
                "longitude",
                models.DecimalField(
                    blank=True,
                    decimal_places=6,
                    max_digits=9,
                    null=True,
                    validators=[
                        django.core.validators.MinValueValidator(73.4),
                        django.core.validators.MaxValueValidator(135.1),
                    ],
                    verbose_name="longitude",
                ),
            ),
            (
                "address",
                models.CharField(
                    blank=True,
                    help_text="Where exactly, in the reporter's words.",
                    max_length=200,
                    verbose_name="location description",
                ),
            ),
            (
                "is_public",
                models.BooleanField(
                    default=False,
                    help_text="Shown to the public (without the reporter's name or phone) once staff have checked it.",
                    verbose_name="public",
                ),
            ),
            (
                "status",
                models.CharField(
                    choices=[
                        ("submitted", "Submitted"),
                        ("dispatched", "Dispatched"),
                        ("in_progress", "In progress"),
                        ("resolved", "Resolved"),
                        ("closed", "Closed"),
                        ("rejected", "Rejected"),
                    ],
                    default="submitted",
                    max_length=20,
                    verbose_name="status",
                ),
            ),
            (
                "submitted_at",
                models.DateTimeField(
                    default=django.utils.timezone.now, verbose_name="submitted at"
                ),
            ),
            ("deadline_at", models.DateTimeField(verbose_name="deadline")),
            (
                "dispatched_at",
                models.DateTimeField(blank=True, null=True, verbose_name="dispatched at"),
            ),
            (
                "started_at",
                models.DateTimeField(blank=True, null=True, verbose_name="work started at"),
            ),
            (
                "resolved_at",
                models.DateTimeField(blank=True, null=True, verbose_name="resolved at"),
            ),
            (
                "closed_at",
                models.DateTimeField(
                    blank=True,
                    help_text="When it was closed or rejected.",
                    null=True,
                    verbose_name="closed at",
                ),
            ),
            (
                "updated_at",
                models.DateTimeField(
                    default=django.utils.timezone.now, verbose_name="last changed"
                ),
            ),
            (
                "handler_kind",
                models.CharField(
                    blank=True,
                    choices=[
                        ("covering_service", "Property service covering the community"),
                        ("neighbourhood_fallback", "Neighbourhood fallback service"),
                    ],
                    max_length=30,
                    verbose_name="dispatched by",
                ),
            ),
            (
                "handler_name",
                models.CharField(
                    blank=True,
                    help_text="The provider or neighbourhood committee, as it was named at dispatch.",
                    max_length=100,
                    verbose_name="handled by",
                ),
            ),
            ("resolution", models.TextField(blank=True, verbose_name="what was done")),
            ("reject_reason", models.TextField(blank=True, verbose_name="reason for rejection")),
            (
                "rating",
                models.PositiveSmallIntegerField(
                    blank=True,
                    help_text="The reporter's satisfaction, 1 to 5.",
                    null=True,
                    validators=[
                        django.core.validators.MinValueValidator(1),
                        django.core.validators.MaxValueValidator(5),
                    ],
                    verbose_name="rating",
                ),
            ),
            ("rating_comment", models.TextField(blank=True, verbose_name="reporter's comment")),
            (
                "closed_by",
                models.CharField(
                    blank=True,
                    choices=[
                        ("rating", "The reporter's rating"),
                        ("timeout", "No rating within the set days"),
                    ],
                    max_length=10,
                    verbose_name="closed by",
                ),
            ),
            (
                "reopen_count",
                models.PositiveSmallIntegerField(default=0, verbose_name="times reopened"),
            ),
            (
                "token",
                models.CharField(
                    default=communities.repairs.models.new_token,
                    max_length=32,
                    unique=True,
                    verbose_name="tracking token",
                ),
            ),
            (
                "building",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="repair_requests",
                    to="communities.building",
                    verbose_name="building",
                ),
            ),
            (
                "community",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="repair_requests",
                    to="communities.community",
                    verbose_name="community",
                ),
            ),
            (
                "filed_by",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="filed_repair_requests",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="entered by",
                ),
            ),
            (
                "grid_inspector",
                models.ForeignKey(
                    blank=True,
                    help_text="Who filed it on patrol.",
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="patrol_repair_requests",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="grid inspector",
                ),
            ),
            (
                "open311_client",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="repair_requests",
                    to="communities.open311client",
                    verbose_name="filed through",
                ),
            ),
            (
                "property_service",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.RESTRICT,
                    related_name="repair_requests",
                    to="communities.propertyservice",
                    verbose_name="handling property service",
                ),
            ),
        ],
        options={
            "verbose_name": "repair request",
            "verbose_name_plural": "repair requests",
            "ordering": ["-submitted_at", "-id"],
            "indexes": [
                models.Index(fields=["-submitted_at", "-id"], name="repair_submitted"),
                models.Index(
                    condition=models.Q(("status__in", ["submitted", "dispatched", "in_progress"])),
                    fields=["deadline_at"],
                    name="repair_open_deadline",
                ),
                models.Index(fields=["community", "status"], name="repair_community_status"),
                models.Index(fields=["status", "category"], name="repair_status_category"),
                models.Index(fields=["property_service", "status"], name="repair_service_status"),
                models.Index(fields=["status", "resolved_at"], name="repair_status_resolved"),
                models.Index(
                    condition=models.Q(("is_public", True)),
                    fields=["-submitted_at"],
                    name="repair_public",
                ),
                models.Index(
                    condition=models.Q(("status__in", ["submitted", "dispatched", "in_progress"])),
                    fields=["reporter_phone"],
                    name="repair_open_phone",
                ),
            ],
            "constraints": [
                models.CheckConstraint(
                    condition=models.Q(
                        models.Q(
                            models.Q(
                                ("dispatched_at__isnull", False),
                                models.Q(("handler_kind", ""), _negated=True),
                            ),
                            ("status__in", ["submitted", "rejected"]),
                            _connector="OR",
                        ),
                        models.Q(
                            ("started_at__isnull", False),
                            models.Q(
                                ("status__in", ["in_progress", "resolved", "closed"]), _negated=True
                            ),
                            _connector="OR",
                        ),
                        models.Q(
                            ("resolved_at__isnull", False),
                            models.Q(("status__in", ["resolved", "closed"]), _negated=True),
                            _connector="OR",
                        ),
                        models.Q(
                            models.Q(
                                ("closed_at__isnull", False), ("status__in", ["closed", "rejected"])
                            ),
                            models.Q(
                                ("closed_at__isnull", True),
                                models.Q(("status__in", ["closed", "rejected"]), _negated=True),
                            ),
                            _connector="OR",
                        ),
                        models.Q(
                            models.Q(
                                models.Q(("reject_reason", ""), _negated=True),
                                ("status", "rejected"),
                            ),
                            models.Q(
                                ("reject_reason", ""),
                                models.Q(("status", "rejected"), _negated=True),
                            ),
                            _connector="OR",
                        ),
                        models.Q(
                            models.Q(
                                models.Q(("closed_by", ""), _negated=True), ("status", "closed")
                            ),
                            models.Q(
                                ("closed_by", ""), models.Q(("status", "closed"), _negated=True)
                            ),
                            _connector="OR",
                        ),
                    ),
                    name="communities_repairrequest_status_has_its_dates",
                    violation_error_message="The dates and notes do not match the status.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        ("deadline_at__gt", models.F("submitted_at")),
                        models.Q(
                            ("dispatched_at__isnull", True),
                            ("dispatched_at__gte", models.F("submitted_at")),
                            _connector="OR",
                        ),
                        models.Q(
                            ("started_at__isnull", True),
                            ("started_at__gte", models.F("dispatched_at")),
                            _connector="OR",
                        ),
                        models.Q(
                            ("resolved_at__isnull", True),
                            ("resolved_at__gte", models.F("started_at")),
                            _connector="OR",
                        ),
                        models.Q(
                            ("closed_at__isnull", True),
                            ("closed_at__gte", models.F("submitted_at")),
                            _connector="OR",
                        ),
                    ),
                    name="communities_repairrequest_dates_in_order",
                    violation_error_message="The steps of a request cannot go back in time.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        ("rating__isnull", True),
                        models.Q(("rating__gte", 1), ("rating__lte", 5), ("closed_by", "rating")),
                        _connector="OR",
                    ),
                    name="communities_repairrequest_rating_1_to_5_closes",
                    violation_error_message="A rating is 1 to 5 and closes the request.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        ("handler_kind", "neighbourhood_fallback"),
                        models.Q(("handler_kind", ""), ("property_service__isnull", True)),
                        models.Q(
                            ("handler_kind", "covering_service"),
                            ("property_service__isnull", False),
                        ),
                        _connector="OR",
                    ),
                    name="communities_repairrequest_covering_service_named",
                    violation_error_message="A request dispatched to a covering service must name that service.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        models.Q(
                            models.Q(("latitude__isnull", True), ("longitude__isnull", True)),
                            models.Q(
                                ("latitude__gte", 3.8),
                                ("latitude__lte", 53.6),
                                ("longitude__gte", 73.4),
                                ("longitude__lte", 135.1),
                            ),
                            _connector="OR",
                        ),
                        models.Q(
                            ("entrance_unit__isnull", True),
                            ("building__isnull", False),
                            _connector="OR",
                        ),
                        models.Q(
                            models.Q(("source", "grid_patrol"), _negated=True),
                            ("grid_inspector__isnull", False),
                            _connector="OR",
                        ),
                    ),
                    name="communities_repairrequest_where_and_who",
                    violation_error_message="Give both latitude and longitude inside China or neither, a building for an entrance unit, and the grid inspector of a patrol report.",
                ),
            ],
        },
    ),
    migrations.CreateModel(
        name="RepairPhoto",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "photo",
                communities.core.files.UploadField(
                    upload_to=communities.repairs.models.photo_upload_to,
                    validators=[
                        django.core.validators.FileExtensionValidator(
                            ["jpg", "jpeg", "png", "webp"]
                        ),
                        communities.core.files.PhotoValidator(),
                    ],
                    verbose_name="photo",
                ),
            ),
            (
                "added_at",
                models.DateTimeField(default=django.utils.timezone.now, verbose_name="added at"),
            ),
            (
                "request",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="more_photos",
                    to="communities.repairrequest",
                    verbose_name="repair request",
                ),
            ),
        ],
        options={
            "verbose_name": "repair photo",
            "verbose_name_plural": "repair photos",
            "ordering": ["request_id", "id"],
            "indexes": [models.Index(fields=["request", "id"], name="repair_photo_request")],
        },
    ),
    migrations.CreateModel(
        name="RepairEvent",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "action",
                models.CharField(
                    choices=[
                        ("submit", "Submitted"),
                        ("dispatch", "Dispatched"),
                        ("start", "Work started"),
                        ("resolve", "Resolved"),
                        ("rate", "Rated and closed"),
                        ("auto_close", "Closed without a rating"),
                        ("reopen", "Reopened"),
                        ("reject", "Rejected"),
                        ("edit", "Edited"),
                        ("publish", "Made public"),
                        ("unpublish", "Made private"),
                    ],
                    max_length=20,
                    verbose_name="action",
                ),
            ),
            (
                "from_status",
                models.CharField(
                    blank=True,
                    choices=[
                        ("submitted", "Submitted"),
                        ("dispatched", "Dispatched"),
                        ("in_progress", "In progress"),
                        ("resolved", "Resolved"),
                        ("closed", "Closed"),
                        ("rejected", "Rejected"),
                    ],
                    max_length=20,
                    verbose_name="from status",
                ),
            ),
            (
                "to_status",
                models.CharField(
                    choices=[
                        ("submitted", "Submitted"),
                        ("dispatched", "Dispatched"),
                        ("in_progress", "In progress"),
                        ("resolved", "Resolved"),
                        ("closed", "Closed"),
                        ("rejected", "Rejected"),
                    ],
                    max_length=20,
                    verbose_name="to status",
                ),
            ),
            ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="at")),
            (
                "actor_label",
                models.CharField(
                    help_text="The user, Open311 client or automatic job, as named at the time.",
                    max_length=150,
                    verbose_name="by (as recorded)",
                ),
            ),
            ("note", models.TextField(blank=True, verbose_name="note")),
            (
                "actor",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="by",
                ),
            ),
            (
                "request",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="timeline",
                    to="communities.repairrequest",
                    verbose_name="repair request",
                ),
            ),
        ],
        options={
            "verbose_name": "timeline entry",
            "verbose_name_plural": "timeline entries",
            "ordering": ["request_id", "at", "id"],
            "indexes": [models.Index(fields=["request", "at", "id"], name="repair_event_timeline")],
        },
    ),
    migrations.CreateModel(
        name="RepairSupport",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            ("supporter_hash", models.CharField(editable=False, max_length=64)),
            ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="at")),
            (
                "request",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="supports",
                    to="communities.repairrequest",
                    verbose_name="repair request",
                ),
            ),
        ],
        options={
            "verbose_name": "me too",
            "verbose_name_plural": "me toos",
            "ordering": ["request_id", "at", "id"],
            "constraints": [
                models.UniqueConstraint(
                    fields=("request", "supporter_hash"),
                    name="communities_repairsupport_once_per_number",
                    violation_error_message="This number has already said “me too” here.",
                )
            ],
        },
    ),
    migrations.CreateModel(
        name="Settlement",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "settled_amount",
                models.DecimalField(
                    decimal_places=2,
                    max_digits=14,
                    validators=[
                        django.core.validators.MinValueValidator(
                            0, message="This cannot be negative."
                        )
                    ],
                    verbose_name="settled amount (yuan)",
                ),
            ),
            (
                "auditor",
                models.CharField(
                    help_text="The audit firm or office that audited it.",
                    max_length=200,
                    verbose_name="auditor",
                ),
            ),
            (
                "audited_on",
                models.DateField(
                    validators=[communities.construction.acceptance._not_in_future],
                    verbose_name="audited on",
                ),
            ),
            (
                "explanation",
                models.TextField(
                    blank=True,
                    help_text="Required when the settled amount is over the budget: why.",
                    verbose_name="explanation",
                ),
            ),
            (
                "item",
                models.OneToOneField(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="settlement",
                    to="communities.renovationitem",
                    verbose_name="renovation item",
                ),
            ),
        ],
        options={
            "verbose_name": "settlement",
            "verbose_name_plural": "settlements",
            "ordering": ["-audited_on", "-id"],
            "indexes": [models.Index(fields=["-audited_on", "-id"], name="settlement_latest")],
            "constraints": [
                models.CheckConstraint(
                    condition=models.Q(("settled_amount__gte", 0)),
                    name="communities_settlement_amount_not_negative",
                    violation_error_message="The amount cannot be negative.",
                )
            ],
        },
    ),
    migrations.CreateModel(
        name="ShareInvoice",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "amount",
                models.DecimalField(
                    decimal_places=2,
                    help_text="The household's share of the owners' part, as the notice fixed it.",
                    max_digits=14,
                    verbose_name="amount invoiced (yuan)",
                ),
            ),
            ("invoiced_on", models.DateField(verbose_name="invoiced on")),
            ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
            (
                "household",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="invoices",
                    to="communities.household",
                    verbose_name="household",
                ),
            ),
            (
                "retrofit",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="invoices",
                    to="communities.elevatorretrofit",
                    verbose_name="elevator retrofit",
                ),
            ),
        ],
        options={
            "verbose_name": "owner's invoice",
            "verbose_name_plural": "owners' invoices",
            "ordering": ["retrofit_id", "household_id"],
            "constraints": [
                models.UniqueConstraint(
                    fields=("retrofit", "household"),
                    name="communities_shareinvoice_one_per_household",
                    violation_error_message="This household already has an invoice for this retrofit.",
                ),
                models.CheckConstraint(
                    condition=models.Q(("amount__gte", 0)),
                    name="communities_shareinvoice_amount_not_negative",
                    violation_error_message="An amount cannot be negative.",
                ),
            ],
        },
    ),
    migrations.CreateModel(
        name="HistoricalSharePayment",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            (
                "amount",
                models.DecimalField(
                    decimal_places=2, max_digits=14, verbose_name="amount paid (yuan)"
                ),
            ),
            ("paid_on", models.DateField(verbose_name="paid on")),
            (
                "source",
                models.CharField(
                    choices=[
                        ("maintenance_fund", "Housing maintenance fund"),
                        ("cash", "Cash"),
                        ("transfer", "Bank transfer"),
                    ],
                    max_length=20,
                    verbose_name="paid from",
                ),
            ),
            (
                "reference",
                models.CharField(
                    blank=True,
                    help_text="The receipt, transfer or fund withdrawal number.",
                    max_length=60,
                    verbose_name="reference",
                ),
            ),
            ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "retrofit",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    help_text="The invoice's retrofit (set from the invoice).",
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.elevatorretrofit",
                    verbose_name="elevator retrofit",
                ),
            ),
            (
                "invoice",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.shareinvoice",
                    verbose_name="invoice",
                ),
            ),
        ],
        options={
            "verbose_name": "historical owner's payment",
            "verbose_name_plural": "historical owners' payments",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="SharePayment",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "amount",
                models.DecimalField(
                    decimal_places=2, max_digits=14, verbose_name="amount paid (yuan)"
                ),
            ),
            ("paid_on", models.DateField(verbose_name="paid on")),
            (
                "source",
                models.CharField(
                    choices=[
                        ("maintenance_fund", "Housing maintenance fund"),
                        ("cash", "Cash"),
                        ("transfer", "Bank transfer"),
                    ],
                    max_length=20,
                    verbose_name="paid from",
                ),
            ),
            (
                "reference",
                models.CharField(
                    blank=True,
                    help_text="The receipt, transfer or fund withdrawal number.",
                    max_length=60,
                    verbose_name="reference",
                ),
            ),
            ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
            (
                "invoice",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.RESTRICT,
                    related_name="payments",
                    to="communities.shareinvoice",
                    verbose_name="invoice",
                ),
            ),
            (
                "retrofit",
                models.ForeignKey(
                    help_text="The invoice's retrofit (set from the invoice).",
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="payments",
                    to="communities.elevatorretrofit",
                    verbose_name="elevator retrofit",
                ),
            ),
        ],
        options={
            "verbose_name": "owner's payment",
            "verbose_name_plural": "owners' payments",
            "ordering": ["invoice_id", "paid_on", "id"],
            "indexes": [
                models.Index(fields=["invoice", "paid_on", "id"], name="share_payment_invoice"),
                models.Index(fields=["retrofit", "source"], name="share_payment_retrofit"),
            ],
            "constraints": [
                models.CheckConstraint(
                    condition=models.Q(("amount__gt", 0)),
                    name="communities_sharepayment_amount_positive",
                    violation_error_message="A payment is more than ¥0.",
                )
            ],
        },
    ),
    migrations.CreateModel(
        name="StaffScope",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "company",
                models.CharField(
                    blank=True,
                    help_text="The provider name of the company's property service records.",
                    max_length=100,
                    verbose_name="property company",
                ),
            ),
            (
                "districts",
                models.ManyToManyField(
                    blank=True,
                    related_name="staff_scopes",
                    to="communities.district",
                    verbose_name="districts",
                ),
            ),
            (
                "user",
                models.OneToOneField(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="staff_scope",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="user",
                ),
            ),
        ],
        options={
            "verbose_name": "staff scope",
            "verbose_name_plural": "staff scopes",
            "ordering": ["user_id"],
        },
    ),
    migrations.CreateModel(
        name="StageTransition",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "from_stage",
                models.CharField(
                    blank=True,
                    choices=[
                        ("intention", "Intention"),
                        ("consent", "Owners' consent"),
                        ("design", "Design"),
                        ("public_notice", "Public notice"),
                        ("approval", "Approval"),
                        ("construction", "Construction"),
                        ("acceptance", "Acceptance"),
                        ("in_service", "In service"),
                        ("withdrawn", "Withdrawn"),
                    ],
                    help_text="Empty when the retrofit was registered.",
                    max_length=20,
                    verbose_name="from stage",
                ),
            ),
            (
                "to_stage",
                models.CharField(
                    choices=[
                        ("intention", "Intention"),
                        ("consent", "Owners' consent"),
                        ("design", "Design"),
                        ("public_notice", "Public notice"),
                        ("approval", "Approval"),
                        ("construction", "Construction"),
                        ("acceptance", "Acceptance"),
                        ("in_service", "In service"),
                        ("withdrawn", "Withdrawn"),
                    ],
                    max_length=20,
                    verbose_name="to stage",
                ),
            ),
            ("on", models.DateField(verbose_name="on")),
            ("note", models.TextField(blank=True, verbose_name="note")),
            ("recorded_at", models.DateTimeField(auto_now_add=True, verbose_name="recorded at")),
            (
                "by",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="by",
                ),
            ),
            (
                "retrofit",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="transitions",
                    to="communities.elevatorretrofit",
                    verbose_name="elevator retrofit",
                ),
            ),
        ],
        options={
            "verbose_name": "stage move",
            "verbose_name_plural": "stage moves",
            "ordering": ["retrofit_id", "on", "id"],
            "indexes": [
                models.Index(fields=["retrofit", "on", "id"], name="stage_move_retrofit_on")
            ],
            "constraints": [
                models.CheckConstraint(
                    condition=models.Q(("from_stage", models.F("to_stage")), _negated=True),
                    name="communities_stagetransition_moves_somewhere",
                    violation_error_message="A move goes to another stage.",
                )
            ],
        },
    ),
    migrations.CreateModel(
        name="SubmittedReturn",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "region",
                models.CharField(
                    max_length=6,
                    validators=[
                        django.core.validators.RegexValidator(
                            "^[0-9]{2}([0-9]{2}([0-9]{2})?)?$",
                            "Enter a 2, 4 or 6-digit region code.",
                        )
                    ],
                    verbose_name="region",
                ),
            ),
            (
                "period",
                models.CharField(
                    max_length=7,
                    validators=[
                        django.core.validators.RegexValidator(
                            "^[0-9]{4}-(0[1-9]|1[0-2])$", "Enter the period as YYYY-MM."
                        )
                    ],
                    verbose_name="period",
                ),
            ),
            ("figures", models.JSONField(verbose_name="figures as submitted")),
            ("submitted_at", models.DateTimeField(verbose_name="submitted at")),
            (
                "district",
                models.ForeignKey(
                    blank=True,
                    help_text="The district, when the region is one.",
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="submitted_returns",
                    to="communities.district",
                    verbose_name="district",
                ),
            ),
            (
                "submitted_by",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="submitted by",
                ),
            ),
        ],
        options={
            "verbose_name": "submitted return",
            "verbose_name_plural": "submitted returns",
            "ordering": ["-submitted_at", "-id"],
            "permissions": [("submit_return", "Can submit a monthly return")],
            "indexes": [
                models.Index(fields=["-submitted_at", "-id"], name="return_submitted_at"),
                models.Index(fields=["region", "-submitted_at"], name="return_region_submitted"),
            ],
            "constraints": [
                models.CheckConstraint(
                    condition=models.Q(("region__regex", "^[0-9]{2}([0-9]{2}([0-9]{2})?)?$")),
                    name="communities_submittedreturn_region_code",
                    violation_error_message="Enter a 2, 4 or 6-digit region code.",
                ),
                models.CheckConstraint(
                    condition=models.Q(("period__regex", "^[0-9]{4}-(0[1-9]|1[0-2])$")),
                    name="communities_submittedreturn_period_format",
                    violation_error_message="Enter the period as YYYY-MM.",
                ),
            ],
        },
    ),
    migrations.CreateModel(
        name="Subscription",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            ("email", models.EmailField(max_length=254, verbose_name="email address")),
            (
                "language",
                models.CharField(default="zh-hans", max_length=10, verbose_name="language"),
            ),
            ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="subscribed at")),
            (
                "confirmed_at",
                models.DateTimeField(blank=True, null=True, verbose_name="confirmed at"),
            ),
            (
                "unsubscribed_at",
                models.DateTimeField(blank=True, null=True, verbose_name="unsubscribed at"),
            ),
            (
                "alerted_at",
                models.DateTimeField(
                    blank=True,
                    help_text="The next alert carries the news recorded after this moment.",
                    null=True,
                    verbose_name="news sent up to",
                ),
            ),
            (
                "community",
                models.ForeignKey(
                    blank=True,
                    help_text="Empty: the whole district.",
                    null=True,
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="subscriptions",
                    to="communities.community",
                    verbose_name="community",
                ),
            ),
            (
                "district",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="subscriptions",
                    to="communities.district",
                    verbose_name="district",
                ),
            ),
        ],
        options={
            "verbose_name": "subscription",
            "verbose_name_plural": "subscriptions",
            "ordering": ["-created_at", "-id"],
            "indexes": [
                models.Index(fields=["-created_at", "-id"], name="subscription_created"),
                models.Index(
                    condition=models.Q(
                        ("confirmed_at__isnull", False), ("unsubscribed_at__isnull", True)
                    ),
                    fields=["district", "community"],
                    name="subscription_active_target",
                ),
            ],
            "constraints": [
                models.UniqueConstraint(
                    condition=models.Q(("community__isnull", False)),
                    fields=("email", "community"),
                    name="communities_subscription_one_per_community",
                    violation_error_message="This address already follows this community.",
                ),
                models.UniqueConstraint(
                    condition=models.Q(("community__isnull", True)),
                    fields=("email", "district"),
                    name="communities_subscription_one_per_district",
                    violation_error_message="This address already follows this district.",
                ),
            ],
        },
    ),
    migrations.CreateModel(
        name="SubsidyRule",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            (
                "region_name",
                models.CharField(
                    help_text="For example 泰安市.", max_length=50, verbose_name="region"
                ),
            ),
            (
                "region_code",
                models.CharField(
                    help_text="370900 covers every district of Tai'an (codes 3709…); 370000 the province; a district's own code only that district.",
                    max_length=6,
                    validators=[
                        django.core.validators.RegexValidator(
                            "^\\d{6}$", "Enter the 6-digit administrative code."
                        )
                    ],
                    verbose_name="region's administrative code",
                ),
            ),
            (
                "min_storeys",
                models.PositiveSmallIntegerField(
                    default=1,
                    help_text="Buildings with at least this many storeys qualify.",
                    validators=[django.core.validators.MinValueValidator(1)],
                    verbose_name="minimum storeys",
                ),
            ),
            (
                "amount_per_elevator",
                models.DecimalField(
                    decimal_places=2, max_digits=14, verbose_name="amount per elevator (yuan)"
                ),
            ),
            (
                "cap_percent",
                models.DecimalField(
                    blank=True,
                    decimal_places=2,
                    help_text="Leave empty when only the amount (and the cost itself) limits it.",
                    max_digits=5,
                    null=True,
                    validators=[
                        django.core.validators.MinValueValidator(Decimal("0.01")),
                        django.core.validators.MaxValueValidator(Decimal("100")),
                    ],
                    verbose_name="cap (% of total cost)",
                ),
            ),
            (
                "valid_from_year",
                models.PositiveSmallIntegerField(
                    validators=[
                        django.core.validators.MinValueValidator(2000),
                        django.core.validators.MaxValueValidator(2100),
                    ],
                    verbose_name="valid from (year)",
                ),
            ),
            (
                "valid_to_year",
                models.PositiveSmallIntegerField(
                    blank=True,
                    help_text="Leave empty while the rule is in force.",
                    null=True,
                    validators=[
                        django.core.validators.MinValueValidator(2000),
                        django.core.validators.MaxValueValidator(2100),
                    ],
                    verbose_name="valid to (year)",
                ),
            ),
            (
                "source",
                models.CharField(
                    blank=True,
                    help_text="The policy document.",
                    max_length=200,
                    verbose_name="source",
                ),
            ),
        ],
        options={
            "verbose_name": "subsidy rule",
            "verbose_name_plural": "subsidy rules",
            "ordering": ["region_code", "min_storeys", "valid_from_year"],
            "indexes": [
                models.Index(
                    fields=["region_code", "min_storeys", "valid_from_year"],
                    name="subsidy_rule_region_order",
                )
            ],
            "constraints": [
                models.CheckConstraint(
                    condition=models.Q(("amount_per_elevator__gte", 0)),
                    name="communities_subsidyrule_amount_not_negative",
                    violation_error_message="The amount cannot be negative.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        ("cap_percent__isnull", True),
                        models.Q(("cap_percent__gt", 0), ("cap_percent__lte", 100)),
                        _connector="OR",
                    ),
                    name="communities_subsidyrule_cap_percent",
                    violation_error_message="The cap is a percentage above 0 and at most 100.",
                ),
                models.CheckConstraint(
                    condition=models.Q(
                        ("valid_to_year__isnull", True),
                        ("valid_to_year__gte", models.F("valid_from_year")),
                        _connector="OR",
                    ),
                    name="communities_subsidyrule_years_in_order",
                    violation_error_message="A rule cannot end before it starts.",
                ),
                models.CheckConstraint(
                    condition=models.Q(("region_code__regex", "^[0-9]{6}$")),
                    name="communities_subsidyrule_region_code_six_digits",
                    violation_error_message="The administrative code must be 6 digits.",
                ),
            ],
        },
    ),
    migrations.CreateModel(
        name="VoteRule",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            ("code", models.SlugField(unique=True, verbose_name="code")),
            ("name", models.CharField(max_length=100, verbose_name="name")),
            ("name_en", models.CharField(blank=True, max_length=100, verbose_name="English name")),
            (
                "legal_basis",
                models.CharField(blank=True, max_length=200, verbose_name="legal basis"),
            ),
            (
                "participation_area_num",
                models.PositiveSmallIntegerField(
                    default=0,
                    help_text="0 when the rule sets no participation threshold.",
                    verbose_name="participation by area: numerator",
                ),
            ),
            (
                "participation_area_den",
                models.PositiveSmallIntegerField(
                    default=1, verbose_name="participation by area: denominator"
                ),
            ),
            (
                "participation_headcount_num",
                models.PositiveSmallIntegerField(
                    default=0,
                    help_text="0 when the rule sets no participation threshold.",
                    verbose_name="participation by headcount: numerator",
                ),
            ),
            (
                "participation_headcount_den",
                models.PositiveSmallIntegerField(
                    default=1, verbose_name="participation by headcount: denominator"
                ),
            ),
            (
                "approval_area_num",
                models.PositiveSmallIntegerField(verbose_name="approval by area: numerator"),
            ),
            (
                "approval_area_den",
                models.PositiveSmallIntegerField(verbose_name="approval by area: denominator"),
            ),
            (
                "approval_headcount_num",
                models.PositiveSmallIntegerField(verbose_name="approval by headcount: numerator"),
            ),
            (
                "approval_headcount_den",
                models.PositiveSmallIntegerField(verbose_name="approval by headcount: denominator"),
            ),
            (
                "approval_of_participants",
                models.BooleanField(
                    default=True,
                    help_text="Approval thresholds are shares of the owners who took part (Civil Code); untick for shares of all owners of the entrance unit.",
                    verbose_name="approval counted among participants",
                ),
            ),
            (
                "no_objection",
                models.BooleanField(
                    default=False,
                    help_text="A single owner voting against defeats the proposal.",
                    verbose_name="no objection allowed",
                ),
            ),
        ],
        options={
            "verbose_name": "vote rule",
            "verbose_name_plural": "vote rules",
            "ordering": ["code"],
            "constraints": [
                models.CheckConstraint(
                    condition=models.Q(
                        ("participation_area_den__gte", 1),
                        ("participation_area_num__lte", models.F("participation_area_den")),
                        ("participation_headcount_den__gte", 1),
                        (
                            "participation_headcount_num__lte",
                            models.F("participation_headcount_den"),
                        ),
                        ("approval_area_den__gte", 1),
                        ("approval_area_num__lte", models.F("approval_area_den")),
                        ("approval_area_num__gte", 1),
                        ("approval_headcount_den__gte", 1),
                        ("approval_headcount_num__lte", models.F("approval_headcount_den")),
                        ("approval_headcount_num__gte", 1),
                    ),
                    name="communities_voterule_thresholds_proper_fractions",
                    violation_error_message="Each threshold is a fraction from 0 to 1 with a denominator of at least 1; approval thresholds are above 0.",
                )
            ],
        },
    ),
    migrations.CreateModel(
        name="HistoricalElevatorRetrofit",
        fields=[
            (
                "id",
                models.BigIntegerField(
                    auto_created=True, blank=True, db_index=True, verbose_name="ID"
                ),
            ),
            (
                "entrance_unit",
                models.PositiveSmallIntegerField(
                    help_text="For example 2 for 2单元.",
                    validators=[django.core.validators.MinValueValidator(1)],
                    verbose_name="entrance unit",
                ),
            ),
            (
                "storeys_served",
                models.PositiveSmallIntegerField(
                    validators=[django.core.validators.MinValueValidator(2)],
                    verbose_name="storeys served",
                ),
            ),
            (
                "stage",
                models.CharField(
                    choices=[
                        ("intention", "Intention"),
                        ("consent", "Owners' consent"),
                        ("design", "Design"),
                        ("public_notice", "Public notice"),
                        ("approval", "Approval"),
                        ("construction", "Construction"),
                        ("acceptance", "Acceptance"),
                        ("in_service", "In service"),
                        ("withdrawn", "Withdrawn"),
                    ],
                    default="intention",
                    max_length=20,
                    verbose_name="stage",
                ),
            ),
            (
                "intention_on",
                models.DateField(blank=True, null=True, verbose_name="intention registered on"),
            ),
            (
                "consent_on",
                models.DateField(blank=True, null=True, verbose_name="consent reached on"),
            ),
            (
                "design_on",
                models.DateField(blank=True, null=True, verbose_name="design started on"),
            ),
            (
                "notice_on",
                models.DateField(blank=True, null=True, verbose_name="public notice started on"),
            ),
            ("approved_on", models.DateField(blank=True, null=True, verbose_name="approved on")),
            (
                "construction_on",
                models.DateField(blank=True, null=True, verbose_name="construction started on"),
            ),
            ("accepted_on", models.DateField(blank=True, null=True, verbose_name="accepted on")),
            (
                "in_service_on",
                models.DateField(blank=True, null=True, verbose_name="in service since"),
            ),
            ("withdrawn_on", models.DateField(blank=True, null=True, verbose_name="withdrawn on")),
            (
                "total_cost",
                models.DecimalField(
                    decimal_places=2,
                    default=Decimal("0"),
                    max_digits=14,
                    verbose_name="total cost (yuan)",
                ),
            ),
            (
                "subsidy",
                models.DecimalField(
                    decimal_places=2,
                    default=Decimal("0"),
                    max_digits=14,
                    verbose_name="government subsidy (yuan)",
                ),
            ),
            (
                "other_funding",
                models.DecimalField(
                    decimal_places=2,
                    default=Decimal("0"),
                    help_text="Sponsors, utilities, other public money: anything that is neither the subsidy nor the owners' own money (the housing maintenance fund is the owners': give it below).",
                    max_digits=14,
                    verbose_name="other funding (yuan)",
                ),
            ),
            (
                "maintenance_fund",
                models.DecimalField(
                    decimal_places=2,
                    default=Decimal("0"),
                    help_text="The part of the owners' contribution (居民出资) paid from their housing maintenance fund (住房维修资金): the owners' own money, so it is inside the owners' part and their shares, not other funding.",
                    max_digits=14,
                    verbose_name="from the housing maintenance fund (yuan)",
                ),
            ),
            (
                "subsidy_override",
                models.BooleanField(
                    default=False,
                    help_text="The subsidy is not computed from the rules; give the reason.",
                    verbose_name="subsidy set by staff",
                ),
            ),
            (
                "subsidy_override_reason",
                models.CharField(
                    blank=True, max_length=300, verbose_name="reason for the subsidy set by staff"
                ),
            ),
            (
                "notice_days",
                models.PositiveSmallIntegerField(
                    default=communities.elevators.models.default_notice_days,
                    help_text="How long the public notice lasts before approval.",
                    validators=[django.core.validators.MinValueValidator(1)],
                    verbose_name="public notice days",
                ),
            ),
            (
                "permit_number",
                models.CharField(
                    blank=True,
                    help_text="Needed for construction when the total cost is above the threshold.",
                    max_length=50,
                    verbose_name="construction permit number",
                ),
            ),
            (
                "registration_number",
                models.CharField(
                    blank=True,
                    help_text="Needed before the elevator goes into service.",
                    max_length=50,
                    verbose_name="special-equipment registration number",
                ),
            ),
            (
                "floor_coefficients",
                models.JSONField(
                    blank=True,
                    default=dict,
                    help_text='Floors whose coefficient differs from the common scheme, e.g. {"2": "0.3"}. The common scheme: floors 1–2 pay 0, 3F 0.7, 4F 0.8 … 9F 1.3, +0.1 a floor above.',
                    verbose_name="floor coefficients",
                ),
            ),
            (
                "updated_at",
                models.DateTimeField(blank=True, editable=False, verbose_name="last updated"),
            ),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(
                    choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                ),
            ),
            (
                "building",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.building",
                    verbose_name="building",
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "subsidy_rule",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    help_text="Set when the subsidy is computed; empty when overridden or none applies.",
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.subsidyrule",
                    verbose_name="subsidy rule applied",
                ),
            ),
            (
                "vote_rule",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    default=communities.elevators.models.default_vote_rule,
                    help_text="The rule the owners' vote is counted by; the city's rule by default.",
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="communities.voterule",
                    verbose_name="vote rule",
                ),
            ),
        ],
        options={
            "verbose_name": "historical elevator retrofit",
            "verbose_name_plural": "historical elevator retrofits",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="AcceptanceCondition",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            ("description", models.TextField(verbose_name="condition")),
            ("deadline", models.DateField(verbose_name="deadline")),
            (
                "met_on",
                models.DateField(
                    blank=True,
                    null=True,
                    validators=[communities.construction.acceptance._not_in_future],
                    verbose_name="met on",
                ),
            ),
            ("met_note", models.TextField(blank=True, verbose_name="how it was met")),
            (
                "acceptance",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="conditions",
                    to="communities.acceptance",
                    verbose_name="acceptance",
                ),
            ),
        ],
        options={
            "verbose_name": "acceptance condition",
            "verbose_name_plural": "acceptance conditions",
            "ordering": ["acceptance_id", "deadline", "id"],
            "indexes": [
                models.Index(fields=["acceptance", "deadline"], name="acceptancecond_acceptance")
            ],
        },
    ),
    migrations.CreateModel(
        name="AcceptanceDocument",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            ("title", models.CharField(max_length=200, verbose_name="title")),
            (
                "file",
                communities.core.files.UploadField(
                    help_text="PDF, image, drawing, Word or Excel file of at most 50 MB.",
                    max_length=255,
                    upload_to=communities.construction.acceptance.acceptance_document_upload_to,
                    validators=[
                        django.core.validators.FileExtensionValidator(
                            ["pdf", "jpg", "jpeg", "png", "dwg", "doc", "docx", "xls", "xlsx"]
                        ),
                        communities.core.files.MaxFileSizeValidator(52428800),
                        communities.core.files.DocumentValidator(),
                    ],
                    verbose_name="file",
                ),
            ),
            (
                "uploaded_at",
                models.DateTimeField(default=django.utils.timezone.now, verbose_name="uploaded at"),
            ),
            (
                "acceptance",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="documents",
                    to="communities.acceptance",
                    verbose_name="acceptance",
                ),
            ),
        ],
        options={
            "verbose_name": "acceptance document",
            "verbose_name_plural": "acceptance documents",
            "ordering": ["acceptance_id", "id"],
            "indexes": [models.Index(fields=["acceptance", "id"], name="acceptancedoc_acceptance")],
        },
    ),
    migrations.CreateModel(
        name="AcceptanceResident",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            ("name", models.CharField(max_length=50, verbose_name="name")),
            (
                "entrance_unit",
                models.PositiveSmallIntegerField(
                    blank=True,
                    null=True,
                    validators=[django.core.validators.MinValueValidator(1)],
                    verbose_name="entrance unit",
                ),
            ),
            (
                "room_number",
                models.CharField(blank=True, max_length=20, verbose_name="room number"),
            ),
            (
                "acceptance",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="residents",
                    to="communities.acceptance",
                    verbose_name="acceptance",
                ),
            ),
            (
                "building",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to="communities.building",
                    verbose_name="building",
                ),
            ),
        ],
        options={
            "verbose_name": "residents' representative",
            "verbose_name_plural": "residents' representatives",
            "ordering": ["acceptance_id", "id"],
            "indexes": [
                models.Index(fields=["acceptance", "id"], name="acceptanceresident_acceptance")
            ],
        },
    ),
    migrations.CreateModel(
        name="BuildingAppraisal",
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            ("appraised_on", models.DateField(verbose_name="appraised on")),
            ("appraiser", models.CharField(blank=True, max_length=100, verbose_name="appraiser")),
            (
                "grade",
                models.CharField(
                    choices=[
                        ("A", "A: sound"),
                        ("B", "B: a few dangerous members"),
                        ("C", "C: partly dangerous"),
                        ("D", "D: whole building dangerous"),
                    ],
                    max_length=12,
                    verbose_name="safety grade",
                ),
            ),
            (
                "report",
                communities.core.files.UploadField(
                    blank=True,
                    help_text="PDF, image, drawing, Word or Excel file of at most 50 MB.",
                    max_length=255,
                    upload_to=communities.places.models.appraisal_report_upload_to,
                    validators=[
                        django.core.validators.FileExtensionValidator(
                            ["pdf", "jpg", "jpeg", "png", "dwg", "doc", "docx", "xls", "xlsx"]
                        ),
                        communities.core.files.MaxFileSizeValidator(52428800),
                        communities.core.files.DocumentValidator(),
                    ],
                    verbose_name="appraisal report",
                ),
            ),
            ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
            ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="recorded at")),
            (
                "building",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="appraisals",
                    to="communities.building",
                    verbose_name="building",
                ),
            ),
        ],
        options={
            "verbose_name": "building appraisal",
            "verbose_name_plural": "building appraisals",
            "ordering": ["building_id", "-appraised_on", "-id"],
            "indexes": [
                models.Index(
                    fields=["building", "-appraised_on", "-id"], name="appraisal_building_newest"
                ),
                models.Index(fields=["grade"], name="appraisal_grade"),
            ],
            "constraints": [
                models.CheckConstraint(
                    condition=models.Q(("grade__in", ["A", "B", "C", "D"])),
                    name="communities_buildingappraisal_grade_a_to_d",
                    violation_error_message="An appraisal grades the building A, B, C or D.",
                )
            ],
        },
    ),
]


# The data steps of the old chain, in its order: (forwards, backwards).
STEPS = [
    _step("0002_seed_national_kinds", "seed"),
    _step("0004_seed_elevator_rules", "seed"),
    _step("0010_seed_staff_roles", "seed_roles", "remove_roles", models_then=True),
    _step("0011_national_scale_indexes", "create_trigram_indexes", "drop_trigram_indexes"),
    _step("0017_fol_subscriptions", "grant_city_admins", models_then=True),
    _step("0018_ops_search_grams", "create_index", "drop_index"),
    _step("0020_ret_quantities_plans_returns", "seed_kind_measures"),
    _step("0020_ret_quantities_plans_returns", "grant_role_permissions", models_then=True),
    _step("0021_reg_regions", "seed_regions", "unseed_regions"),
    _step("0023_obj_objection_permissions", "grant", "revoke", models_then=True),
    _step("0025_fw_national_categories", "forwards", "backwards"),
    _grants("0028_con_staff_roles"),
    _grants("0030_pay_payment_permissions"),
    _grants("0032_pho_photo_roles"),
    _grants("0034_acc_staff_roles"),
]


def run_steps(apps, schema_editor):
    """The data steps, as one RunPython: each RunPython renders every model of the project again
    (the migrations of other apps leave the state "delayed"), a tenth of a second each."""
    for forwards, _backwards in STEPS:
        forwards(apps, schema_editor)


def undo_steps(apps, schema_editor):
    for _forwards, backwards in reversed(STEPS):
        if backwards is not None:
            backwards(apps, schema_editor)


class Migration(migrations.Migration):
    replaces = [("communities", name) for name in REPLACED]

    initial = True

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        CreateModels(*MODELS),
        migrations.RunPython(run_steps, undo_steps),
    ]

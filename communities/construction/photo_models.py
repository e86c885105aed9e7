"""Photos of a community and its items before, during and after the works (issue 17).

Imported by ``construction/models.py`` so Django registers the table. A photo is stored only
in its web sizes (``construction.imaging``): a large JPEG and a thumbnail, re-encoded without
EXIF, so no page ever serves the camera's original file (nor the GPS position in it).
"""

import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from communities.construction.choices import PhotoPhase
from communities.construction.imaging import web_sizes
from communities.core import clock, files
from communities.core.bounds import BoundedDateField
from communities.core.history import HistoricalRecords
from communities.places.models import Community
from communities.works.models.items import RenovationItem

# Served with a long max-age (communities.core.media.IMMUTABLE_PREFIXES): every name is
# random and a file is never rewritten under the same name.
PHOTO_FOLDER = "community-photos"


def _not_in_future(value) -> None:
    if value is not None and value > clock.today():
        raise ValidationError(_("This date cannot be in the future."), code="future")


def community_photo_upload_to(instance, filename: str) -> str:
    """``community-photos/2026/12/<random>.jpg``: the uploader's file name is not kept, and
    both sizes are JPEGs whatever was uploaded."""
    return f"{PHOTO_FOLDER}/{clock.today():%Y/%m}/{secrets.token_hex(12)}.jpg"


class WebPhotoField(models.FileField):
    """The large size of a photo. A fresh upload is turned into its web sizes when the row is
    written (``pre_save``, so ``bulk_create`` does it too): this field gets the large JPEG,
    ``thumbnail`` the small one, and the four dimension fields their values. Those fields are
    declared after this one, so the values set here are the ones written."""

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            sizes = web_sizes(file)
            file.file = sizes.large.content
            file.name = "photo.jpg"
            model_instance.width = sizes.large.width
            model_instance.height = sizes.large.height
            model_instance.thumbnail = ContentFile(
                sizes.thumbnail.content.read(), name="thumbnail.jpg"
            )
            model_instance.thumbnail_width = sizes.thumbnail.width
            model_instance.thumbnail_height = sizes.thumbnail.height
        return super().pre_save(model_instance, add)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.FileField", args, kwargs


class PhotoQuerySet(models.QuerySet):
    def public(self) -> "PhotoQuerySet":
        """What anyone may see: every photo. Photos show the works of a public programme,
        inspections are public records too (``/api/v1/inspections/``), and nothing personal is
        kept (no EXIF, no GPS, no uploader). One method, so the public site and the API read
        the same rows if that ever changes."""
        return self.all()

    def for_gallery(self) -> "PhotoQuerySet":
        """With the item and inspection a caption names (joins, no query per photo)."""
        return self.select_related("item", "inspection", "acceptance").order_by("taken_on", "id")


class Photo(models.Model):
    """A photo of a community's site or of one of its items, before, during or after the works;
    taken during an inspection when ``inspection`` is set."""

    # Scope (core.scoping): the lookup from here to the district.
    district_path = "community__district"
    # The records a photo can be taken for: each must be of the photo's community, and a photo
    # belongs to one of them at most. A new kind of record (an acceptance) adds its foreign key
    # below and its name here.
    RECORD_FIELDS = ("inspection", "acceptance")

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="photos", verbose_name=_("community")
    )
    item = models.ForeignKey(
        RenovationItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("renovation item"),
        help_text=_("Leave empty for a photo of the whole community."),
    )
    inspection = models.ForeignKey(
        "communities.Inspection",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("inspection"),
        help_text=_("The inspection it was taken for, if any."),
    )
    acceptance = models.ForeignKey(
        "communities.Acceptance",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("acceptance"),
        help_text=_("The completion acceptance it was taken for, if any."),
    )
    phase = models.CharField(_("phase"), max_length=10, choices=PhotoPhase)
    taken_on = BoundedDateField(_("taken on"), validators=[_not_in_future])
    caption = models.CharField(
        _("caption"),
        max_length=200,
        blank=True,
        help_text=_("What the photo shows; read aloud to blind visitors as its description."),
    )
    image = WebPhotoField(
        _("photo"),
        upload_to=community_photo_upload_to,
        max_length=200,
        validators=[FileExtensionValidator(files.PHOTO_EXTENSIONS), files.PhotoValidator()],
        help_text=_("JPEG, PNG or WebP, at most 10 MB; stored at most 1600 pixels wide."),
    )
    thumbnail = models.FileField(
        _("thumbnail"), upload_to=community_photo_upload_to, max_length=200, editable=False
    )
    width = models.PositiveIntegerField(_("width"), default=0, editable=False)
    height = models.PositiveIntegerField(_("height"), default=0, editable=False)
    thumbnail_width = models.PositiveIntegerField(_("thumbnail width"), default=0, editable=False)
    thumbnail_height = models.PositiveIntegerField(_("thumbnail height"), default=0, editable=False)
    history = HistoricalRecords()

    objects = PhotoQuerySet.as_manager()

    class Meta:
        app_label = "communities"
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["-taken_on", "-id"]
        indexes = [
            # Default ordering (the API's list, the admin's changelist).
            models.Index(fields=["-taken_on", "-id"], name="photo_latest"),
            # A community's gallery (the community page, ?community=), in the order it shows.
            models.Index(fields=["community", "taken_on", "id"], name="photo_community"),
        ]

    def __str__(self) -> str:
        return self.caption or f"{self.get_phase_display()} · {self.taken_on}"

    def get_absolute_url(self) -> str:
        return self.community.get_absolute_url() + "#photos"

    @property
    def alt(self) -> str:
        """The image's text alternative: its caption, or what it is a photo of."""
        if self.caption:
            return self.caption
        subject = self.item.title if self.item_id else _("the community")
        return _("%(subject)s, %(phase)s") % {
            "subject": subject,
            "phase": self.get_phase_display().lower(),
        }

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.item_id and self.community_id and self.item.community_id != self.community_id:
            errors["item"] = _("The item belongs to another community.")
        records = [name for name in self.RECORD_FIELDS if getattr(self, f"{name}_id")]
        for name in records:
            record = getattr(self, name)
            if self.community_id and record.community_id != self.community_id:
                errors[name] = _("It is a record of another community.")
            elif self.item_id and record.item_id and record.item_id != self.item_id:
                errors[name] = _("It is a record of another item.")
        if len(records) > 1:
            errors[records[-1]] = _("A photo is taken for one record at most.")
        if errors:
            raise ValidationError(errors)

"""Admin for community photos: several uploaded at once on the add page (the community, item,
phase and date chosen once for all of them), thumbnails in the list.

All or nothing: every file is checked (decoded, sized) before any is saved, a bad one is named
in the form's error, and then none is kept.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from communities.construction.photo_models import Photo
from communities.core.admin import BaseAdmin

# How many files one upload takes (each is decoded in turn while the request waits).
MAX_FILES_PER_UPLOAD = 20
SHARED_FIELDS = ["community", "item", "inspection", "acceptance", "phase", "taken_on", "caption"]


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """The files of one ``<input type=file multiple>``, cleaned as a list (Django's "Uploading
    multiple files"); each is checked by the model when the form builds its photos."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": "image/*"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        uploads = data if isinstance(data, list | tuple) else [data]
        uploads = [upload for upload in uploads if upload]
        if not uploads:
            return single(None, initial)  # "This field is required."
        if len(uploads) > MAX_FILES_PER_UPLOAD:
            raise ValidationError(
                _("Upload at most %(count)s photos at a time."),
                code="too_many_files",
                params={"count": MAX_FILES_PER_UPLOAD},
            )
        cleaned, problems = [], []
        for upload in uploads:
            try:
                cleaned.append(single(upload, initial))
            except ValidationError as error:
                problems.append(named(upload, error))
        if problems:
            raise ValidationError(problems)
        return cleaned


def named(upload, error: ValidationError) -> ValidationError:
    """The refusal of one file, naming it: "IMG_0412.HEIC: Upload a JPEG, PNG or WebP photo." """
    return ValidationError(
        _("%(file)s: %(reasons)s"),
        code="bad_file",
        params={"file": upload.name, "reasons": " ".join(dict.fromkeys(error.messages))},
    )


class PhotoUploadForm(forms.ModelForm):
    """The add page: what the photos share, and the files. ``photos`` holds them, checked and
    unsaved, once the form is valid."""

    images = MultiplePhotoField(
        label=_("Photos"),
        help_text=_(
            "Choose one or more JPEG, PNG or WebP files (at most 10 MB each). They share the "
            "community, item, phase, date and caption given here."
        ),
    )

    class Meta:
        model = Photo
        fields = SHARED_FIELDS

    def clean(self):
        cleaned = super().clean()
        self.photos: list[Photo] = []
        uploads = cleaned.get("images") or []
        if self.errors or not uploads:
            return cleaned
        shared = {name: cleaned.get(name) for name in SHARED_FIELDS if name in cleaned}
        problems = []
        for upload in uploads:
            photo = Photo(**shared, image=upload)
            try:
                # The file's own checks; the shared fields and the record's rules are the
                # form's (checked once, on its instance).
                photo.clean_fields(exclude=set(SHARED_FIELDS))
            except ValidationError as error:
                problems.append(named(upload, error))
            self.photos.append(photo)
        if problems:
            self.add_error("images", problems)
        return cleaned


@admin.register(Photo)
class PhotoAdmin(BaseAdmin):
    list_display = ["preview", "__str__", "phase", "taken_on", "community", "item", "inspection"]
    list_filter = ["phase", "community__district"]
    list_select_related = ["community", "item", "inspection", "acceptance"]
    search_fields = ["caption", "community__name", "item__title"]
    autocomplete_fields = ["community", "item", "inspection", "acceptance"]
    date_hierarchy = "taken_on"
    readonly_fields = ["preview_large", "width", "height"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return [*SHARED_FIELDS, "images"]
        return [*SHARED_FIELDS, "image", "preview_large", "width", "height"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = PhotoUploadForm
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        # The first photo is the page's own object (logged and redirected to by Django);
        # the others are saved and logged here. The add view runs in one transaction.
        first, *others = form.photos
        obj.image = first.image
        obj.save()
        for photo in others:
            photo.save()
            self.log_addition(request, photo, [{"added": {}}])
        request.photos_added = len(form.photos)

    def response_add(self, request, obj, post_url_continue=None):
        added = getattr(request, "photos_added", 1)
        if added > 1 and "_continue" not in request.POST and "_addanother" not in request.POST:
            self.message_user(
                request,
                gettext("%(count)s photos were added.") % {"count": added},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:communities_photo_changelist"))
        return super().response_add(request, obj, post_url_continue)

    @admin.display(description=_("photo"))
    def preview(self, photo: Photo):
        if not photo.thumbnail:
            return self.get_empty_value_display()
        # A quarter of the thumbnail: the list stays one line per photo.
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="" loading="lazy">',
            photo.thumbnail.url,
            max(photo.thumbnail_width // 4, 1),
            max(photo.thumbnail_height // 4, 1),
        )

    @admin.display(description=_("as shown on the site"))
    def preview_large(self, photo: Photo):
        if not photo.thumbnail:
            return self.get_empty_value_display()
        return format_html(
            '<a href="{}"><img src="{}" width="{}" height="{}" alt="{}"></a>',
            photo.image.url,
            photo.thumbnail.url,
            photo.thumbnail_width,
            photo.thumbnail_height,
            photo.alt,
        )

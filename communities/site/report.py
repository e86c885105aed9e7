"""Residents' side of repairs: report a repair from a phone (``/report/``, and from a community
page ``/communities/<id>/report/``), say "me too" to a request already filed, and follow one's
own request through its private tracking link, where a resolved request is confirmed ("fixed",
rated 1–5) or reopened ("not fixed", with a reason).

Every write goes through ``communities.repairs.services`` (submit, support, rate, reopen), so
the rules are the admin's, the API's and Open311's. Spam and abuse: a throttle per client
address and one per mobile number (``report_address``, ``report_phone``), a honeypot field,
and at most ``RENOVATION["REPORT_MAX_OPEN_PER_PHONE"]`` open requests per number. The reporter's
name and number are never shown on any page, this one included. An optional email address,
with its "follow" box ticked, follows the request's community through
``communities.following`` (double opt-in); it is kept in the subscription only.
"""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from communities.core import bounds
from communities.core.client_ip import client_ip
from communities.core.errors import WrongState
from communities.core.masking import public_text
from communities.core.throttles import retry_after, too_many_requests
from communities.following import services as following_services
from communities.following import tasks as following_tasks
from communities.places.models import CHINA_LAT, CHINA_LNG, Building, Community
from communities.repairs import selectors as repair_selectors
from communities.repairs import services as repair_services
from communities.repairs.choices import RepairAction, RepairCategory, RepairStatus
from communities.repairs.models import RepairRequest, supporter_key
from communities.repairs.open311.views import nearest_community
from communities.repairs.policy import normalise_mobile

# How many communities the finder on /report/ lists for a search.
FINDER_LIMIT = 20


# --- Forms ----------------------------------------------------------------------------------


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to ``REPORT_MAX_PHOTOS`` files from one ``<input type=file multiple>``; each is
    decoded and re-encoded by the model's own checks when the request is saved."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": "image/*"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        files = [super(PhotosField, self).clean(item, initial) for item in files if item]
        if len(files) > repair_services.REPORT_MAX_PHOTOS:
            raise ValidationError(
                _("Send at most %(count)s photos.") % {"count": repair_services.REPORT_MAX_PHOTOS}
            )
        return files


class ReportForm(forms.Form):
    category = forms.ChoiceField(
        label=gettext_lazy("What is broken"),
        choices=[("", gettext_lazy("Choose…")), *RepairCategory.choices],
    )
    description = forms.CharField(
        label=gettext_lazy("Describe the problem"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    building = forms.ModelChoiceField(
        label=gettext_lazy("Building"),
        queryset=Building.objects.none(),
        required=False,
        empty_label=gettext_lazy("Not about one building"),
    )
    latitude = forms.DecimalField(
        label=gettext_lazy("Latitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal(str(CHINA_LAT[0])),
        max_value=Decimal(str(CHINA_LAT[1])),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    longitude = forms.DecimalField(
        label=gettext_lazy("Longitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal(str(CHINA_LNG[0])),
        max_value=Decimal(str(CHINA_LNG[1])),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    photos = PhotosField(
        label=gettext_lazy("Photos (up to 3)"),
        required=False,
    )
    is_emergency = forms.BooleanField(
        label=gettext_lazy("Emergency: danger to people or property"), required=False
    )
    reporter_name = forms.CharField(label=gettext_lazy("Your name"), max_length=50)
    reporter_phone = forms.CharField(
        label=gettext_lazy("Your mobile number"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=gettext_lazy("Only staff see your name and number, to call you back."),
    )
    # Optional: with the box ticked (the default), the address follows the report's community
    # by email (double opt-in, communities.following). It is kept in the subscription only,
    # never on the request; the tracking link needs no email.
    email = forms.EmailField(
        label=gettext_lazy("Your email (optional)"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )
    follow = forms.BooleanField(
        label=gettext_lazy(
            "Follow this community's news by email (you confirm from the first mail)"
        ),
        required=False,
        initial=True,
    )
    # The honeypot: hidden from people (off screen, out of the tab order), filled by bots.
    website = forms.CharField(
        label=gettext_lazy("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    # Set once the "is it one of these?" list was shown (by the page's script or by the form
    # coming back with the list): the next submit files a new request.
    nearby_seen = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, community: Community | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        if community is not None:
            self.fields["building"].queryset = Building.objects.filter(
                community=community
            ).order_by("label_sort", "label")
        else:
            del self.fields["building"]

    def clean_reporter_phone(self) -> str:
        phone = normalise_mobile(self.cleaned_data["reporter_phone"])
        if phone is None:
            raise ValidationError(_("Enter a mobile number of 11 digits, e.g. 13800000000."))
        return phone

    def clean(self):
        data = super().clean()
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if (latitude is None) != (longitude is None) and not (
            self.has_error("latitude") or self.has_error("longitude")
        ):
            raise ValidationError(_("Give both latitude and longitude, or neither."))
        if self.community is None and latitude is None and not self.has_error("latitude"):
            self.add_error(
                "latitude",
                _("Choose the place on the map, or find your community first."),
            )
        elif self.community is None and latitude is not None:
            radius = settings.RENOVATION["OPEN311_MATCH_RADIUS_M"]
            found = nearest_community(latitude, longitude, radius)
            if found is None:
                self.add_error(
                    "latitude",
                    _("No community lies within %(radius)s m of this point.") % {"radius": radius},
                )
            data["community"] = found
        else:
            data["community"] = self.community
        return data

    @property
    def point(self) -> tuple[float, float] | None:
        """Where the report is: the chosen point, else the community's centre."""
        data = self.cleaned_data
        if data.get("latitude") is not None:
            return float(data["latitude"]), float(data["longitude"])
        community = data.get("community")
        if community is not None and community.latitude is not None:
            return float(community.latitude), float(community.longitude)
        return None


class SupportForm(forms.Form):
    """The me-too button posts the report form to another address: only the number counts."""

    reporter_phone = forms.CharField(label=gettext_lazy("Your mobile number"), max_length=30)
    website = forms.CharField(required=False)

    def clean_reporter_phone(self) -> str:
        phone = normalise_mobile(self.cleaned_data["reporter_phone"])
        if phone is None:
            raise ValidationError(_("Enter a mobile number of 11 digits, e.g. 13800000000."))
        return phone


class FixedForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=gettext_lazy("How satisfied are you?"),
        choices=[(value, str(value)) for value in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NotFixedForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What is still wrong?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- Helpers --------------------------------------------------------------------------------


def _throttled(request) -> HttpResponse | None:
    """The 429 page when this client address has sent too many reports or me-toos."""
    seconds = retry_after(request, "report_address", client_ip(request) or "")
    return None if seconds is None else too_many_requests(request, seconds)


def _throttled_phone(request, phone: str) -> HttpResponse | None:
    """The 429 page when this mobile number has (counted by its hash, as me-toos keep it)."""
    seconds = retry_after(request, "report_phone", supporter_key(phone))
    return None if seconds is None else too_many_requests(request, seconds)


def _private(response: HttpResponse) -> HttpResponse:
    """Tracking pages and the form's answers: kept by no cache and no search engine."""
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _form_context(request, form: ReportForm, community: Community | None, **extra) -> dict:
    center = ""
    if community is not None and community.latitude is not None:
        center = f"{community.latitude},{community.longitude}"
    context = {
        "form": form,
        "community": community,
        "center": center,
        "map": {
            "tile_url": getattr(settings, "MAP_TILE_URL", ""),
            "tile_attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", ""),
        },
        "nearby_url": reverse("site:report-nearby"),
        "radius": settings.RENOVATION["REPORT_NEARBY_RADIUS_M"],
        "nearby": None,
        "query": "",
        "found": None,
    }
    context.update(extra)
    return context


def _form_page(request, form, community, *, status: int = 200, **extra) -> HttpResponse:
    context = _form_context(request, form, community, **extra)
    return _private(render(request, "site/report/form.html", context, status=status))


def _report(request, community: Community | None):
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, community=community)
        return _submit(request, form, community)
    initial = {}
    building = bounds.parse_id(request.GET.get("building", ""))
    if (
        community is not None
        and building is not None
        and community.buildings.filter(pk=building).exists()
    ):
        initial["building"] = building
    form = ReportForm(initial=initial, community=community)
    context = _form_context(request, form, community)
    if community is None:
        query = (request.GET.get("q") or "").strip()[:50]
        if query and bounds.is_path_text(query):
            context["query"] = query
            context["found"] = list(
                Community.objects.filter(name__icontains=query)
                .select_related("district")
                .order_by("name", "id")[:FINDER_LIMIT]
            )
    return _private(render(request, "site/report/form.html", context))


def _submit(request, form: ReportForm, community: Community | None):
    throttled = _throttled(request)
    if throttled is not None:
        return throttled
    if request.POST.get("website"):
        # A bot filled the honeypot: nothing is filed, and nothing says why.
        form.is_valid()
        form.add_error(None, _("The report could not be sent."))
        return _form_page(request, form, community, status=400)
    if not form.is_valid():
        return _form_page(request, form, community, status=400)
    data = form.cleaned_data
    throttled = _throttled_phone(request, data["reporter_phone"])
    if throttled is not None:
        return throttled
    point = form.point
    if not data.get("nearby_seen") and point is not None:
        nearby = repair_selectors.nearby_open_requests(
            category=data["category"], latitude=point[0], longitude=point[1]
        )
        if nearby:
            # Is it one of these? The form comes back with the list and "me too" buttons;
            # sending it again files a new request.
            again = request.POST.copy()
            again["nearby_seen"] = "on"
            form = ReportForm(again, community=community)
            form.is_valid()
            return _private(
                render(
                    request,
                    "site/report/form.html",
                    _form_context(request, form, community, nearby=_nearby_rows(nearby)),
                )
            )
    try:
        repair_request = repair_services.repair_request_report(
            community=data["community"],
            building=data.get("building"),
            category=data["category"],
            description=data["description"],
            is_emergency=data["is_emergency"],
            reporter_name=data["reporter_name"],
            reporter_phone=data["reporter_phone"],
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            photos=data["photos"],
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
        return _form_page(request, form, community, status=400)
    if data.get("email") and data.get("follow"):
        _follow(data["email"], repair_request.community)
    url = reverse("site:report-track", kwargs={"token": repair_request.token})
    return HttpResponseRedirect(f"{url}?new=1")


def _follow(email: str, community: Community) -> None:
    """The reporter follows the request's community by email: a subscription awaiting its
    confirmation mail (queued for the worker), or nothing when the address already follows it.
    The request is filed whatever happens here."""
    try:
        subscription = following_services.subscription_request(
            email=email, community=community, language=get_language() or "zh-hans"
        )
    except ValidationError:
        return
    if subscription is not None:
        transaction.on_commit(lambda: following_tasks.send_confirmation.delay(subscription.pk))


def _nearby_rows(nearby) -> list[dict]:
    """What the "is it one of these?" list shows of each request: nothing personal."""
    return [
        {
            "pk": row.pk,
            "category": row.get_category_display(),
            "status": row.get_status_display(),
            "description": public_text(row.description, names=(row.reporter_name,))[:200],
            "place": row.place_label(),
            "submitted_at": row.submitted_at,
            "distance": distance,
            "supporters": row.supporters,
        }
        for row, distance in nearby
    ]


# --- Pages ----------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def report(request):
    """The report form with a map point (the community is the nearest one to it), and a
    finder that leads to a community's own form."""
    return _report(request, None)


@require_http_methods(["GET", "HEAD", "POST"])
def report_community(request, pk: int):
    """A community's report form; ``?building=<id>`` preselects one of its buildings (the QR
    poster of a building links here)."""
    community = get_object_or_404(Community.objects.select_related("district"), pk=pk)
    return _report(request, community)


@require_safe
def report_nearby(request):
    """The "is it one of these?" list for the page's script (an HTML fragment): open public
    requests of the category within ``REPORT_NEARBY_RADIUS_M`` of ``lat``/``lng`` (1 query)."""
    category = request.GET.get("category", "")
    try:
        latitude = float(request.GET.get("lat", ""))
        longitude = float(request.GET.get("lng", ""))
    except ValueError:
        latitude = longitude = None
    if (
        category not in RepairCategory.values
        or latitude is None
        or not (CHINA_LAT[0] <= latitude <= CHINA_LAT[1])
        or not (CHINA_LNG[0] <= longitude <= CHINA_LNG[1])
    ):
        return HttpResponse(status=400)
    nearby = repair_selectors.nearby_open_requests(
        category=category, latitude=latitude, longitude=longitude
    )
    return _private(
        render(
            request,
            "site/report/nearby.html",
            {
                "nearby": _nearby_rows(nearby),
                "radius": settings.RENOVATION["REPORT_NEARBY_RADIUS_M"],
            },
        )
    )


@require_POST
def report_support(request, pk: int):
    """ "Me too" on an open public request, instead of filing the same problem again."""
    throttled = _throttled(request)
    if throttled is not None:
        return throttled
    repair_request = get_object_or_404(RepairRequest.objects.public(), pk=pk)
    form = SupportForm(request.POST)
    error = None
    count = None
    if request.POST.get("website"):
        error = _("The report could not be sent.")
    elif not form.is_valid():
        error = form.errors["reporter_phone"][0]
    else:
        throttled = _throttled_phone(request, form.cleaned_data["reporter_phone"])
        if throttled is not None:
            return throttled
        try:
            count = repair_services.repair_request_support(
                repair_request=repair_request, phone=form.cleaned_data["reporter_phone"]
            )
        except (ValidationError, WrongState) as exc:
            error = exc.messages[0]
    context = {
        "repair_request": repair_request,
        "count": count,
        "error": error,
        "category": repair_request.get_category_display(),
        "place": repair_request.place_label(),
    }
    return _private(
        render(request, "site/report/supported.html", context, status=400 if error else 200)
    )


def _tracked(token: str) -> RepairRequest:
    found = None
    if bounds.is_path_text(token) and len(token) <= 32:
        found = repair_selectors.repair_request_by_token(token)
    if found is None:
        raise Http404
    return found


def _timeline(repair_request: RepairRequest) -> list[dict]:
    """The public steps, each with its public note (masked like every public text)."""
    rows = []
    for event in repair_request.public_events:
        note = repair_selectors.public_note(event, repair_request)
        if event.action == RepairAction.DISPATCH:
            note = _("Handled by %(name)s") % {"name": note or "—"}
        rows.append(
            {
                "action": event.action,
                "label": event.get_action_display(),
                "at": event.at,
                "note": note,
                "status": event.get_to_status_display(),
            }
        )
    return rows


def _track_page(request, repair_request, *, fixed=None, not_fixed=None, status=200):
    resolved = repair_request.status == RepairStatus.RESOLVED
    context = {
        "repair_request": repair_request,
        "timeline": _timeline(repair_request),
        "description": public_text(
            repair_request.description, names=(repair_request.reporter_name,)
        ),
        "photos": ([repair_request.photo] if repair_request.photo else [])
        + [extra.photo for extra in repair_request.more_photos.all()],
        "is_new": request.GET.get("new") == "1",
        "link": request.build_absolute_uri(
            reverse("site:report-track", kwargs={"token": repair_request.token})
        ),
        "can_confirm": resolved,
        "fixed_form": fixed or (FixedForm() if resolved else None),
        "not_fixed_form": not_fixed or (NotFixedForm() if resolved else None),
    }
    return _private(render(request, "site/report/track.html", context, status=status))


@require_safe
def report_track(request, token: str):
    """The private tracking page: where the request is, its steps and the handler's public
    notes (3 queries)."""
    return _track_page(request, _tracked(token))


@require_POST
def report_fixed(request, token: str):
    """ "Fixed": the reporter rates the result, which closes the request."""
    repair_request = _tracked(token)
    form = FixedForm(request.POST)
    if form.is_valid():
        try:
            repair_services.repair_request_rate(
                repair_request=repair_request,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
                reporter=True,
            )
        except (ValidationError, WrongState) as exc:
            form.add_error(None, exc.messages[0])
        else:
            return HttpResponseRedirect(reverse("site:report-track", kwargs={"token": token}))
    return _track_page(request, repair_request, fixed=form, status=400)


@require_POST
def report_not_fixed(request, token: str):
    """ "Not fixed": the reporter reopens the request with a reason (the reopen rule: only a
    resolved request, back to the same handler)."""
    repair_request = _tracked(token)
    form = NotFixedForm(request.POST)
    if form.is_valid():
        try:
            repair_services.repair_request_reopen(
                repair_request=repair_request, reason=form.cleaned_data["reason"], reporter=True
            )
        except (ValidationError, WrongState) as exc:
            form.add_error(None, exc.messages[0])
        else:
            return HttpResponseRedirect(reverse("site:report-track", kwargs={"token": token}))
    return _track_page(request, repair_request, not_fixed=form, status=400)

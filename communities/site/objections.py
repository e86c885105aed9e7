"""The public notice pages of elevator retrofits and design plans, where residents object.

Each page shows the notice and the objections staff have published, each with its answer (the
answers are published with the notice), and, while the notice runs, a short form for a phone:
name, room and phone (kept private: never shown on any public page), the objection's text. A
hidden field catches robots (a filled-in honeypot is thanked and dropped), and every POST counts
against ``objection_file``'s rate per client address (``core.throttles``). After filing, a
confirmation page (post/redirect/get, so a reload files nothing twice).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.core.client_ip import client_ip
from communities.core.errors import WrongState
from communities.core.masking import public_text
from communities.core.throttles import retry_after, too_many_requests
from communities.elevators.models import ElevatorRetrofit
from communities.elevators.objections import (
    elevator_objection_file,
    notice_last_day,
    retrofit_open_for_objections,
)
from communities.places.models import Building
from communities.works.models.objections import TEXT_MAX
from communities.works.models.plans import DesignPlan
from communities.works.objections import (
    design_plan_objection_file,
    design_plan_open_for_objections,
)

THROTTLE_SCOPE = "objection_file"


class ObjectionForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Your name"),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    room = forms.CharField(
        label=gettext_lazy("Your room"),
        max_length=30,
        help_text=gettext_lazy("As on the door, for example 301."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("Your mobile number"),
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    text = forms.CharField(
        label=gettext_lazy("Your objection"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Shown to the public, without your name, room or phone, once staff have checked it."
        ),
    )
    # The honeypot: hidden from people, filled in by robots.
    website = forms.CharField(
        label=gettext_lazy("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    field_order = ["building", "name", "room", "phone", "text", "website"]


class PlanObjectionForm(ObjectionForm):
    building = forms.ModelChoiceField(
        label=gettext_lazy("Your building"), queryset=Building.objects.none()
    )

    def __init__(self, *args, community_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = Building.objects.filter(
            community_id=community_id
        ).order_by("label_sort", "label")


@dataclass
class PublishedObjection:
    filed_on: date
    text: str
    answer: str
    answered_on: date | None


def _published(objections: QuerySet) -> list[PublishedObjection]:
    """The published objections as the public reads them: text and answer with phone numbers
    and the filer's name masked (one query; no name, room or phone leaves this function)."""
    rows = objections.published().order_by("filed_at", "id")
    return [
        PublishedObjection(
            filed_on=timezone.localtime(row.filed_at).date(),
            text=public_text(row.text, names=(row.name,)),
            answer=public_text(row.answer, names=(row.name,)),
            answered_on=row.answered_on,
        )
        for row in rows
    ]


def _notice_page(
    request,
    *,
    target: Model,
    form: ObjectionForm | None,
    file: Callable[..., Model],
    filed_url: str,
    context: dict,
):
    """The GET and POST of a notice page, the same for both kinds of notice."""
    status = 200
    if request.method == "POST":
        seconds = retry_after(request, THROTTLE_SCOPE, client_ip(request) or "")
        if seconds is not None:
            return too_many_requests(request, seconds)
        if form is None:
            status = 409  # the notice is not running: nothing to file against
        elif form.is_valid():
            data = dict(form.cleaned_data)
            if data.pop("website", ""):
                return HttpResponseRedirect(filed_url)  # a robot: thanked, nothing kept
            try:
                file(**data)
            except WrongState as refusal:
                form.add_error(None, refusal.messages)
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                return HttpResponseRedirect(filed_url)
        if form is not None and form.errors:
            status = 400
    return render(
        request,
        "communities/objections/notice.html",
        {**context, "target": target, "form": form, "objections": _published(target.objections)},
        status=status,
    )


def elevator_notice(request, pk: int):
    """An elevator retrofit's public notice, its objections and answers, and the form."""
    retrofit = get_object_or_404(
        ElevatorRetrofit.objects.select_related("building__community"), pk=pk
    )
    if not retrofit.shares_published:
        raise Http404  # before its notice (or withdrawn) a retrofit has no notice page
    is_open = retrofit_open_for_objections(retrofit)
    form = ObjectionForm(request.POST or None) if is_open else None
    community = retrofit.building.community
    return _notice_page(
        request,
        target=retrofit,
        form=form,
        file=lambda **data: elevator_objection_file(retrofit=retrofit, **data),
        filed_url=reverse("site:elevator-notice-filed", args=[retrofit.pk]),
        context={
            "kind": "elevator",
            "community": community,
            "title": _("Elevator for %(building)s, unit %(unit)s")
            % {"building": retrofit.building.label, "unit": retrofit.entrance_unit},
            "notice_start": retrofit.notice_on,
            "notice_end": notice_last_day(retrofit),
            "is_open": is_open,
            "stage": retrofit.get_stage_display(),
        },
    )


def plan_notice(request, pk: int):
    """A design plan's public notice, its objections and answers, and the form."""
    plan = get_object_or_404(DesignPlan.objects.public().select_related("community"), pk=pk)
    is_open = design_plan_open_for_objections(plan)
    form = (
        PlanObjectionForm(request.POST or None, community_id=plan.community_id) if is_open else None
    )
    return _notice_page(
        request,
        target=plan,
        form=form,
        file=lambda **data: design_plan_objection_file(plan=plan, **data),
        filed_url=reverse("site:plan-notice-filed", args=[plan.pk]),
        context={
            "kind": "plan",
            "community": plan.community,
            "title": str(plan),
            "notice_start": plan.notice_start,
            "notice_end": plan.notice_end,
            "is_open": is_open,
            "stage": plan.get_status_display(),
        },
    )


def elevator_notice_filed(request, pk: int):
    retrofit = get_object_or_404(ElevatorRetrofit.objects.select_related("building"), pk=pk)
    return render(
        request,
        "communities/objections/filed.html",
        {"back": reverse("site:elevator-notice", args=[retrofit.pk])},
    )


def plan_notice_filed(request, pk: int):
    plan = get_object_or_404(DesignPlan.objects.public(), pk=pk)
    return render(
        request,
        "communities/objections/filed.html",
        {"back": reverse("site:plan-notice", args=[plan.pk])},
    )

"""The annual plans in the admin (entered by city staff); the returns page is the desk's
(``reporting.desk``)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from communities.core.admin import BaseAdmin
from communities.core.clock import today
from communities.core.scoping import scope_for
from communities.reporting import downloads, returns
from communities.reporting.models import AnnualPlan
from communities.reporting.policy import planned_outside_district
from communities.reporting.resources import AnnualPlanResource


class AnnualPlanForm(forms.ModelForm):
    class Meta:
        model = AnnualPlan
        fields = [
            "district",
            "year",
            "target_communities",
            "target_households",
            "target_buildings",
            "target_investment",
            "communities",
            "note",
        ]

    def clean(self):
        cleaned = super().clean()
        district = cleaned.get("district")
        outside = planned_outside_district(
            getattr(district, "pk", None), cleaned.get("communities") or []
        )
        if outside:
            self.add_error(
                "communities",
                _("Not in the plan's district: %(names)s.") % {"names": ", ".join(outside)},
            )
        return cleaned


class ReturnForm(forms.Form):
    period = forms.CharField(label=_("Period (YYYY-MM)"), max_length=7)
    region = forms.CharField(label=_("Region code"), max_length=6)

    def clean_period(self):
        try:
            return returns.parse_period(self.cleaned_data["period"])
        except returns.BadQuery as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_region(self):
        try:
            return returns.parse_region(self.cleaned_data["region"])
        except returns.BadQuery as exc:
            raise forms.ValidationError(str(exc)) from exc


def _last_month() -> str:
    first = today().replace(day=1)
    year, month = (first.year, first.month - 1) if first.month > 1 else (first.year - 1, 12)
    return f"{year:04d}-{month:02d}"


@admin.register(AnnualPlan)
class AnnualPlanAdmin(BaseAdmin):
    form = AnnualPlanForm
    change_list_template = "communities/reporting/admin_annualplan_change_list.html"
    resource_classes = [AnnualPlanResource]
    list_display = [
        "district",
        "year",
        "target_communities",
        "target_households",
        "target_buildings",
        "target_investment",
    ]
    list_filter = ["year", "district"]
    list_select_related = ["district"]
    autocomplete_fields = ["district", "communities"]
    fields = [
        ("district", "year"),
        ("target_communities", "target_households", "target_buildings"),
        "target_investment",
        "communities",
        "note",
    ]

    # The returns page: compute a region's return for a month, review its variances against
    # the last one submitted, submit it, download it.

    def get_urls(self):
        page = path(
            "returns/",
            self.admin_site.admin_view(self.returns_view),
            name="communities_annualplan_returns",
        )
        return [page, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "returns_url": reverse("admin:communities_annualplan_returns"),
        }
        return super().changelist_view(request, extra_context)

    def returns_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        scope = scope_for(request.user)
        data = request.POST if request.method == "POST" else request.GET
        initial = {"period": _last_month()}
        if not scope.everything and len(scope.district_ids) == 1:
            district = self.model._meta.get_field("district").related_model.objects.get(
                pk=next(iter(scope.district_ids))
            )
            initial["region"] = district.code
        form = ReturnForm(data if "period" in data else None, initial=initial)
        may_submit = request.user.has_perm("communities.submit_return")
        figures = tables = None
        if form.is_valid():
            region, period = form.cleaned_data["region"], form.cleaned_data["period"]
            if not returns.regions_in_scope(scope, region):
                form.add_error(
                    "region", _("You may only report on regions within your own districts.")
                )
            elif request.method == "POST":
                if not may_submit:
                    raise PermissionDenied
                returns.return_submit(region=region, period=period, user=request.user)
                messages.success(
                    request,
                    _("The return of %(region)s for %(period)s is submitted and locked.")
                    % {"region": region.code, "period": period.code},
                )
                query = urlencode({"period": period.code, "region": region.code})
                return HttpResponseRedirect(f"{request.path}?{query}")
            else:
                figures = returns.monthly_return(region, period)
                download = request.GET.get("download")
                if download == "xlsx":
                    return self._download(figures, "xlsx")
                if download == "csv":
                    return self._download(figures, "csv")
                tables = downloads.return_tables(figures)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Monthly returns"),
            "opts": self.model._meta,
            "form": form,
            "figures": figures,
            "tables": tables,
            "may_submit": may_submit,
            "submitted": returns.scoped_submitted(
                returns.SubmittedReturn.objects.select_related("submitted_by"), scope
            )[:20],
        }
        return TemplateResponse(request, "communities/reporting/admin_returns.html", context)

    @staticmethod
    def _download(figures: dict, fmt: str) -> HttpResponse:
        name = f"return-{figures['region']}-{figures['period']}.{fmt}"
        if fmt == "xlsx":
            body, content_type = downloads.xlsx_bytes(figures), downloads.XLSX_MEDIA_TYPE
        else:
            body = ("\ufeff" + downloads.csv_text(figures)).encode("utf-8")
            content_type = "text/csv; charset=utf-8"
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

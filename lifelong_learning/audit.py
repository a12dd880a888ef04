"""The audit trail: every change to institutions, annual reports and targets,
with who made it, when, what changed (old → new) and why.

It reads the history tables that django-simple-history keeps for the three
models; nothing here writes. Ministry staff and administrators (the
``view_all_provinces`` permission) see it; provincial officers do not.
History rows have no page, form or admin that changes them.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Q, Subquery, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from institutions.models import (
    YEAR_MAX,
    YEAR_MIN,
    Category,
    Commune,
    FormerProvince,
    Institution,
    Province,
)
from reports.entry.models import AnnualReport
from targets.indicators import Count, Criterion
from targets.models import Target

from .history import change_reason_label
from .numbers import field_value_text
from .pagination import BoundedPaginator
from .roles import VIEW_ALL_PROVINCES

PAGE_SIZE = 50


class AuditKind(models.TextChoices):
    INSTITUTION = "institution", _("Institution")
    REPORT = "report", _("Annual report")
    TARGET = "target", _("Target")


AUDITED_MODELS = {
    AuditKind.INSTITUTION: Institution,
    AuditKind.REPORT: AnnualReport,
    AuditKind.TARGET: Target,
}
# How each history table reaches the province of its object; targets are
# national.
_PROVINCE_PATHS = {
    AuditKind.INSTITUTION: "province_id",
    AuditKind.REPORT: "institution__province_id",
    AuditKind.TARGET: None,
}
# Derived or bookkeeping fields: their change says nothing a person decided.
_HIDDEN_FIELDS = {
    "id",
    "name_search",
    "name_sort",
    "version",
    "updated_at",
    "updated_by",
    "warnings",
}
_TYPES = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
_NAME_LABELS = {
    **dict(Criterion.choices),
    **dict(Count.choices),
    **dict(Category.choices),
}


@dataclass(frozen=True)
class AuditFilters:
    kind: str = ""
    user: str = ""
    province: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


@dataclass
class AuditChange:
    name: str
    field: str
    old: str
    new: str


@dataclass
class AuditEntry:
    """One history record, ready to show."""

    kind: str
    kind_label: str
    date: datetime.datetime
    user: object
    type: str
    type_label: str
    subject: str
    subject_url: str
    reason: str
    changes: list[AuditChange] = field(default_factory=list)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _history_rows(kind: str, filters: AuditFilters):
    history = AUDITED_MODELS[kind].history.model
    rows = history.objects.all()
    province_path = _PROVINCE_PATHS[kind]
    if filters.province:
        if province_path is None:
            return None
        rows = rows.filter(**{province_path: filters.province})
    if filters.user:
        users = get_user_model().objects.filter(
            Q(username__iexact=filters.user)
            | Q(first_name__icontains=filters.user)
            | Q(last_name__icontains=filters.user)
        )
        rows = rows.filter(history_user__in=users)
    if filters.date_from:
        rows = rows.filter(history_date__gte=_day_start(filters.date_from))
    if filters.date_to:
        next_day = filters.date_to + datetime.timedelta(days=1)
        rows = rows.filter(history_date__lt=_day_start(next_day))
    # History tables are ordered by default; parts of a union may not be.
    return (
        rows.order_by()
        .annotate(record_kind=Value(kind, output_field=models.CharField()))
        .values("record_kind", "history_id", "history_date")
    )


def audit_records(filters: AuditFilters):
    """The history records matching ``filters``, newest first, as dicts of
    ``record_kind``, ``history_id`` and ``history_date``: one union query, which
    pages in the database."""
    kinds = [filters.kind] if filters.kind else list(AuditKind.values)
    parts = [
        rows for kind in kinds if (rows := _history_rows(kind, filters)) is not None
    ]
    if not parts:
        return Institution.history.none().values("history_id")
    first, *others = parts
    if others:
        first = first.union(*others, all=True)
    return first.order_by("-history_date", "-history_id", "record_kind")


def _previous_id(history):
    same_object = history.objects.filter(id=OuterRef("id"))
    earlier = same_object.filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(
            history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")
        )
    )
    return Subquery(
        earlier.order_by("-history_date", "-history_id").values("history_id")[:1]
    )


class _Names:
    """Names of the provinces, communes, former provinces and institutions
    that the records of a page refer to, read in one query per model."""

    MODELS = (Province, Commune, FormerProvince, Institution, AnnualReport)

    def __init__(self):
        self.wanted: dict[type, set] = defaultdict(set)
        self.names: dict[type, dict] = {}

    def want(self, model, value) -> None:
        if model in self.MODELS and value is not None:
            self.wanted[model].add(value)

    def load(self) -> None:
        for model, keys in self.wanted.items():
            objects = model._base_manager.filter(pk__in=keys)
            if model is AnnualReport:
                objects = objects.select_related("institution")
            self.names[model] = {obj.pk: str(obj) for obj in objects}

    def get(self, model, value) -> str:
        return self.names.get(model, {}).get(value, str(value))


def _display(model_field, value, names: _Names) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if model_field.is_relation:
        return names.get(model_field.related_model, value)
    if isinstance(value, list):
        return ", ".join(str(_NAME_LABELS.get(item, item)) for item in value)
    return str(field_value_text(model_field, value))


def _fields(model) -> list:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in _HIDDEN_FIELDS and not f.primary_key
    ]


def _changes(model, record, previous, names: _Names) -> list[AuditChange]:
    changes = []
    for model_field in _fields(model):
        new = getattr(record, model_field.attname)
        old = getattr(previous, model_field.attname) if previous else None
        if previous is None and new in (None, "", []):
            continue
        if old != new:
            changes.append(
                AuditChange(
                    model_field.name,
                    str(model_field.verbose_name),
                    _display(model_field, old, names),
                    _display(model_field, new, names),
                )
            )
    return changes


def _subject(kind: str, record, names: _Names) -> tuple[str, str]:
    """The object's name, and the address of its page while it exists."""
    if kind == AuditKind.INSTITUTION:
        exists = record.id in names.names.get(Institution, {})
        url = reverse("institutions:detail", args=[record.id]) if exists else ""
        return f"{record.name} ({record.code})", url
    if kind == AuditKind.REPORT:
        institution = names.get(Institution, record.institution_id)
        exists = record.id in names.names.get(AnnualReport, {})
        url = reverse("reports:detail", args=[record.id]) if exists else ""
        return f"{institution} – {record.year}", url
    return record.instance.label, ""


def audit_entries(page_rows) -> list[AuditEntry]:
    """Who, when, what and why of each record of a page of
    :func:`audit_records`: a fixed number of queries (two per kind of record,
    one per kind of name) whatever the page size."""
    wanted = defaultdict(list)
    for row in page_rows:
        wanted[row["record_kind"]].append(row["history_id"])
    records, previous = {}, {}
    for kind, ids in wanted.items():
        history = AUDITED_MODELS[kind].history.model
        found = history.objects.filter(history_id__in=ids).select_related(
            "history_user"
        )
        for record in found.annotate(previous_id=_previous_id(history)):
            records[kind, record.history_id] = record
        previous_ids = [r.previous_id for r in records.values() if r.previous_id]
        for record in history.objects.filter(history_id__in=previous_ids):
            previous[kind, record.history_id] = record
    names = _Names()
    for (kind, _id), record in records.items():
        model = AUDITED_MODELS[kind]
        names.want(model, record.id)
        for model_field in _fields(model):
            if model_field.is_relation:
                names.want(
                    model_field.related_model, getattr(record, model_field.attname)
                )
                before = previous.get((kind, record.previous_id))
                if before is not None:
                    names.want(
                        model_field.related_model, getattr(before, model_field.attname)
                    )
    names.load()
    entries = []
    for row in page_rows:
        kind = row["record_kind"]
        record = records.get((kind, row["history_id"]))
        if record is None:
            continue
        model = AUDITED_MODELS[kind]
        before = previous.get((kind, record.previous_id))
        subject, url = _subject(kind, record, names)
        entries.append(
            AuditEntry(
                kind=kind,
                kind_label=str(AuditKind(kind).label),
                date=record.history_date,
                user=record.history_user,
                type=record.history_type,
                type_label=str(_TYPES.get(record.history_type, "")),
                subject=subject,
                subject_url=url,
                reason=change_reason_label(record.history_change_reason),
                changes=(
                    []
                    if record.history_type == "-"
                    else _changes(model, record, before, names)
                ),
            )
        )
    return entries


# Page ---------------------------------------------------------------------------


# Dates within the portal's years: 0001-01-01 or 9999-12-31 would overflow
# when made a moment in the local time zone or moved by a day.
DATE_MIN = datetime.date(YEAR_MIN, 1, 1)
DATE_MAX = datetime.date(YEAR_MAX, 12, 31)
DATE_ATTRS = {"type": "date", "min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}


def date_in_range(value: datetime.date) -> None:
    """Refuses a date outside the portal's years."""
    if not DATE_MIN <= value <= DATE_MAX:
        raise ValidationError(
            _("Enter a date from %(first)s to %(last)s."),
            code="date_range",
            params={
                "first": date_format(DATE_MIN, "SHORT_DATE_FORMAT"),
                "last": date_format(DATE_MAX, "SHORT_DATE_FORMAT"),
            },
        )


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Record"),
        choices=[("", _("All records")), *AuditKind.choices],
        required=False,
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.all(),
        required=False,
        empty_label=_("All provinces"),
    )
    user = forms.CharField(
        label=_("User"),
        required=False,
        max_length=150,
        help_text=_("Login or part of the name."),
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        validators=[date_in_range],
        widget=forms.DateInput(attrs=DATE_ATTRS, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        validators=[date_in_range],
        widget=forms.DateInput(attrs=DATE_ATTRS, format="%Y-%m-%d"),
    )

    def filters(self) -> AuditFilters:
        if not self.is_valid():
            return AuditFilters()
        data = self.cleaned_data
        return AuditFilters(
            kind=data["kind"],
            user=data["user"].strip(),
            province=data["province"].code if data["province"] else "",
            date_from=data["date_from"],
            date_to=data["date_to"],
        )


class AuditView(PermissionRequiredMixin, ListView):
    """Every recorded change, newest first, filtered by record, province,
    user and dates; read only."""

    permission_required = VIEW_ALL_PROVINCES
    template_name = "audit/audit_list.html"
    paginate_by = PAGE_SIZE
    paginator_class = BoundedPaginator
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        self.form = AuditFilterForm(self.request.GET or None)
        return audit_records(self.form.filters())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            form=self.form,
            entries=audit_entries(list(context["page_obj"].object_list)),
            page_query=query.urlencode(),
        )
        return context


# Recording why ----------------------------------------------------------------

# django-simple-history keeps at most 100 characters of a change reason.
REASON_MAX_LENGTH = 100


REASON_MAX_LENGTH = 100  # simple-history's history_change_reason


def reason_clip(text: str, limit: int = REASON_MAX_LENGTH) -> str:
    """``text`` fitted into a change reason: whole words, and "…" when cut."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:") + "…"


def reason_field() -> forms.CharField:
    """The optional "reason for the change" of an edit form; the services
    store it in the history, where the audit trail shows it."""
    return forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        help_text=_("Optional. Shown in the audit trail to ministry staff."),
    )


class ChangeReasonAdminMixin:
    """Adds the optional reason for the change to an admin form and records it
    in the object's history."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = kwargs.get("form", self.form)
        kwargs["form"] = type(base.__name__, (base,), {"change_reason": reason_field()})
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("change_reason", "").strip()
        if reason:
            obj._change_reason = reason
        super().save_model(request, obj, form, change)

    def set_history_delta_changes(self, request, historical_records, **kwargs):
        # The history page shows a stored fixed word ("import") in words.
        super().set_history_delta_changes(request, historical_records, **kwargs)
        for record in historical_records:
            record.history_change_reason = change_reason_label(
                record.history_change_reason
            )

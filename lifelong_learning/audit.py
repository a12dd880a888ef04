"""The audit trail: every change to institutions, annual reports and targets,
with who made it, when, what changed (old → new) and why.

It reads the history tables that django-simple-history keeps, for every model
found in its registry (no app is imported: what the audit must know of a model
the model declares, see :func:`audited_models`); nothing here writes.
Ministry staff and administrators (the ``view_all_provinces`` permission) see
it; provincial officers do not.
History rows have no page, form or admin that changes them.
"""

import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass, field

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Q, Subquery, Value
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from .history import (
    HISTORY_TYPES,
    change_reason_label,
    history_changes,
    history_models,
    value_text,
)
from .pagination import BoundedPaginator
from .roles import VIEW_ALL_PROVINCES
from .years import YEAR_MAX, YEAR_MIN

PAGE_SIZE = 50

# Bookkeeping fields: their change says nothing a person decided. (Derived
# fields are not editable and never compared.)
_HIDDEN_FIELDS = {"version", "updated_by", "warnings"}


@functools.cache
def audited_models() -> dict[str, type[models.Model]]:
    """The models whose history the audit shows, by kind: every model
    simple-history records. A model may name its kind (``audit_kind``, its
    model name otherwise), the path from its history rows to their province
    (``audit_province_path``; none: a national record) and the attribute that
    names an object (``audit_subject``, its ``str`` otherwise)."""
    return {
        getattr(model, "audit_kind", model._meta.model_name): model
        for model in history_models()
    }


def audit_kinds() -> list[tuple[str, str]]:
    return [
        (kind, capfirst(model._meta.verbose_name))
        for kind, model in audited_models().items()
    ]


def _province_path(model) -> str | None:
    return getattr(model, "audit_province_path", None)


def province_model() -> type[models.Model] | None:
    """The model at the end of the audited models' province paths."""
    for model in audited_models().values():
        if path := _province_path(model):
            for name in path.split("__"):
                model = model._meta.get_field(name).related_model
            return model
    return None


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
    model = audited_models()[kind]
    rows = model.history.model.objects.all()
    if filters.province:
        if (province_path := _province_path(model)) is None:
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
    kinds = [filters.kind] if filters.kind else list(audited_models())
    parts = [
        rows for kind in kinds if (rows := _history_rows(kind, filters)) is not None
    ]
    if not parts:
        any_model = next(iter(audited_models().values()))
        return any_model.history.none().values("history_id")
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


class _Missing:
    """Stands for a related object that no longer exists: shown by its key."""

    def __init__(self, key):
        self.pk = key

    def __str__(self):
        return str(self.pk)


class _Objects:
    """The objects that the records of a page refer to (and the recorded
    objects themselves, to link those that still exist), read in one query
    per model."""

    def __init__(self):
        self.wanted: dict[type, set] = defaultdict(set)
        self.found: dict[type, dict] = {}

    def want(self, model, key) -> None:
        if key is not None:
            self.wanted[model].add(key)

    def load(self) -> None:
        for model, keys in self.wanted.items():
            objects = model._base_manager.filter(pk__in=keys)
            self.found[model] = {obj.pk: obj for obj in objects}

    def exists(self, model, key) -> bool:
        return key in self.found.get(model, {})

    def get(self, model, key):
        return self.found.get(model, {}).get(key) or _Missing(key)

    def name(self, model, key) -> str:
        return str(self.get(model, key))


def _relations(model) -> list:
    return [
        model_field
        for model_field in model._meta.concrete_fields
        if model_field.many_to_one and model_field.name not in _HIDDEN_FIELDS
    ]


def _subject(model, record, objects: _Objects) -> tuple[str, str]:
    """The object's name, and the address of its page while it exists."""
    instance = record.instance
    for relation in _relations(model):
        key = getattr(record, relation.attname)
        if key is not None:
            relation.set_cached_value(
                instance, objects.get(relation.related_model, key)
            )
    subject = getattr(instance, getattr(model, "audit_subject", "__str__"))
    subject = subject() if callable(subject) else subject
    url = ""
    if hasattr(instance, "get_absolute_url") and objects.exists(model, record.id):
        url = instance.get_absolute_url()
    return str(subject), url


def _changes(record, previous, objects: _Objects) -> list[AuditChange]:
    return [
        AuditChange(
            change.name,
            change.label,
            value_text(change.field, change.old, objects.name),
            value_text(change.field, change.new, objects.name),
        )
        for change in history_changes(record, previous, exclude=_HIDDEN_FIELDS)
    ]


def audit_entries(page_rows) -> list[AuditEntry]:
    """Who, when, what and why of each record of a page of
    :func:`audit_records`: a fixed number of queries (two per kind of record,
    one per kind of object named) whatever the page size."""
    models_by_kind = audited_models()
    wanted = defaultdict(list)
    for row in page_rows:
        wanted[row["record_kind"]].append(row["history_id"])
    records, previous = {}, {}
    for kind, ids in wanted.items():
        history = models_by_kind[kind].history.model
        found = history.objects.filter(history_id__in=ids).select_related(
            "history_user"
        )
        for record in found.annotate(previous_id=_previous_id(history)):
            records[kind, record.history_id] = record
        previous_ids = [r.previous_id for r in records.values() if r.previous_id]
        for record in history.objects.filter(history_id__in=previous_ids):
            previous[kind, record.history_id] = record
    objects = _Objects()
    for (kind, _id), record in records.items():
        model = models_by_kind[kind]
        objects.want(model, record.id)
        before = previous.get((kind, record.previous_id))
        for relation in _relations(model):
            for shown in (record, before):
                if shown is not None:
                    objects.want(
                        relation.related_model, getattr(shown, relation.attname)
                    )
    objects.load()
    kind_labels = dict(audit_kinds())
    entries = []
    for row in page_rows:
        kind = row["record_kind"]
        record = records.get((kind, row["history_id"]))
        if record is None:
            continue
        model = models_by_kind[kind]
        before = previous.get((kind, record.previous_id))
        subject, url = _subject(model, record, objects)
        entries.append(
            AuditEntry(
                kind=kind,
                kind_label=str(kind_labels[kind]),
                date=record.history_date,
                user=record.history_user,
                type=record.history_type,
                type_label=str(HISTORY_TYPES.get(record.history_type, "")),
                subject=subject,
                subject_url=url,
                reason=change_reason_label(record.history_change_reason),
                changes=(
                    []
                    if record.history_type == "-"
                    else _changes(record, before, objects)
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
    kind = forms.ChoiceField(label=_("Record"), required=False)
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=None,
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All records")), *audit_kinds()]
        self.fields["province"].queryset = province_model()._default_manager.all()

    def filters(self) -> AuditFilters:
        if not self.is_valid():
            return AuditFilters()
        data = self.cleaned_data
        return AuditFilters(
            kind=data["kind"],
            user=data["user"].strip(),
            province=data["province"].pk if data["province"] else "",
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

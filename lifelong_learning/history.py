"""History helpers: what django-simple-history records, read and written the
same way everywhere (the audit page, a report's and an institution's history,
the admin).

- The models with a history, found through simple-history's registry.
- What changed between two history records (old → new, field by field).
- A recorded value as a person reads it.
- The reason for a change: the optional form field, fitted into the 100
  characters the history keeps, and the fixed words the services store
  (``history_change_reason``) shown in the reader's language.
"""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django import forms
from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import registered_models

from .numbers import field_value_text

HISTORY_TYPES = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}

CHANGE_REASONS = {
    "import": _("file import"),
    "sheet": _("year sheet"),
    "close": _("closed"),
    "demo": _("demo data"),
    "Seeded from targets.csv": _("seeded from targets.csv"),
}

# django-simple-history keeps at most 100 characters of a change reason.
REASON_MAX_LENGTH = 100


def history_models() -> list[type[models.Model]]:
    """The models whose changes simple-history records, in the order of the
    app registry."""
    recorded = set(registered_models.values())
    return [model for model in apps.get_models() if model in recorded]


# Changes ----------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    """One field of a history record that differs from the record before."""

    field: models.Field
    old: object
    new: object

    @property
    def name(self) -> str:
        return self.field.name

    @property
    def label(self) -> str:
        return str(self.field.verbose_name)


def _empty(value) -> bool:
    return value is None or value == "" or value == []


def history_changes(
    record,
    previous=None,
    *,
    include: Iterable[str] | None = None,
    exclude: Iterable[str] = (),
) -> list[FieldChange]:
    """The fields of ``record`` that differ from ``previous``, older record of
    the same object, in the model's order (simple-history's ``diff_against``).
    Without a previous record (the object was created), the fields that have
    a value, each from None. Only editable fields can be compared, never the
    primary key."""
    excluded = set(exclude)
    fields = [
        model_field
        for model_field in record.tracked_fields
        if model_field.editable
        and not model_field.primary_key
        and model_field.name not in excluded
        and (include is None or model_field.name in include)
    ]
    if previous is None:
        previous = type(record)(**{f.attname: None for f in fields})
    delta = record.diff_against(previous, included_fields=[f.name for f in fields])
    changed = {change.field: change for change in delta.changes}
    return [
        FieldChange(model_field, changed[name].old, changed[name].new)
        for model_field in fields
        if (name := model_field.name) in changed
        and not (_empty(changed[name].new) and _empty(changed[name].old))
    ]


# Values -----------------------------------------------------------------------


@functools.cache
def _item_labels() -> dict:
    # A list a history keeps (a target's criteria and categories) names fields
    # and choices of the recorded models: a criterion or a count is a report's
    # field, a category a choice of the institution's.
    labels = {}
    for model in history_models():
        for model_field in model._meta.concrete_fields:
            labels.setdefault(model_field.name, model_field.verbose_name)
            if model_field.choices:
                labels.update(dict(model_field.flatchoices))
    return labels


def value_text(
    model_field: models.Field,
    value,
    related_name: Callable[[type[models.Model], object], str] | None = None,
) -> str:
    """A recorded value as a person reads it: "—" for nothing, a choice by its
    label, yes or no, a related object by ``related_name(model, key)`` (its key
    without it), a list by the labels of its items, a number by the rule of
    :mod:`lifelong_learning.numbers`."""
    if _empty(value):
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if model_field.is_relation:
        if related_name is None:
            return str(value)
        return related_name(model_field.related_model, value)
    if isinstance(value, list):
        labels = _item_labels()
        return ", ".join(str(labels.get(item, item)) for item in value)
    return str(field_value_text(model_field, value))


# Reasons ----------------------------------------------------------------------


def change_reason_label(reason: str | None) -> str:
    """The words for a stored reason: a fixed word translated, a reason a
    person wrote as written, nothing for none."""
    if not reason:
        return ""
    return str(CHANGE_REASONS.get(reason, reason))


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

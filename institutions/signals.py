"""What the registry tells the apps above it, without importing them."""

from django.dispatch import Signal

# Sent before institutions are changed, with ``changes``: a list of
# ``(stored, changed)`` pairs of the same institution (stored as it is in the
# database, changed as it would be saved). A receiver returns a dict
# ``{institution pk: {field name: message}}`` of changes it refuses; the
# sender refuses those, naming the field. The reports app refuses changes that
# would move approved figures (reports/signals.py).
institutions_changing = Signal()


def institution_change_errors(changes) -> dict[int, dict[str, str]]:
    """The refusals of every receiver of :data:`institutions_changing`."""
    refused: dict[int, dict[str, str]] = {}
    if not changes:
        return refused
    for _receiver, found in institutions_changing.send(
        sender="institutions", changes=changes
    ):
        for pk, errors in (found or {}).items():
            refused.setdefault(pk, {}).update(errors)
    return refused

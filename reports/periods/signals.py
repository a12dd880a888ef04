"""What the periods tell the layers above them, without importing them."""

from django.dispatch import Signal

# Sent, inside the writing transaction, after a period's or an extension's dates
# changed (created, edited or deleted), with ``year`` and ``provinces`` (the
# codes whose deadlines moved, or ``None`` for every province). Data entry
# recomputes which reports were on time (reports/entry/signals.py).
deadlines_changed = Signal()

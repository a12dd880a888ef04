"""How a status looks wherever it is shown: its colour (charts, maps' bars and
the PDF's cells), its icon and its words. The pages always show the words
beside the colour."""

from dataclasses import dataclass

from reports.progress.progress import Status

STATUS_COLOURS = {
    Status.ACHIEVED: "#146c43",
    Status.ON_TRACK: "#20c997",
    Status.ACCELERATION_NEEDED: "#ffc107",
    Status.LIMITED: "#fd7e14",
    Status.DETERIORATION: "#dc3545",
    Status.MISSED: "#6f1d1b",
    Status.NO_DATA: "#adb5bd",
}
STATUS_ICONS = {
    Status.ACHIEVED: "bi-check-circle-fill",
    Status.ON_TRACK: "bi-arrow-up-right-circle-fill",
    Status.ACCELERATION_NEEDED: "bi-exclamation-triangle-fill",
    Status.LIMITED: "bi-dash-circle-fill",
    Status.DETERIORATION: "bi-arrow-down-right-circle-fill",
    Status.MISSED: "bi-x-circle-fill",
    Status.NO_DATA: "bi-question-circle",
}
GOOD_STATUSES = {Status.ACHIEVED, Status.ON_TRACK}

# How much of a status colour a cell background keeps (the rest is white), so
# that black text on it stays readable.
TINT_STRENGTH = 0.3


def status_tint(status: str) -> str:
    """The status colour lightened towards white, as a background behind text."""
    colour = STATUS_COLOURS[Status(status)]
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mixed = (round(255 - TINT_STRENGTH * (255 - channel)) for channel in channels)
    return "#{:02x}{:02x}{:02x}".format(*mixed)


@dataclass
class StatusView:
    """A status as the pages show it: colour class, icon and words."""

    code: str
    label: str
    icon: str

    @classmethod
    def of(cls, status: str) -> "StatusView":
        status = Status(status)
        return cls(
            code=status.value, label=str(status.label), icon=STATUS_ICONS[status]
        )

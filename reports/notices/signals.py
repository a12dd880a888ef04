"""What the notices answer to: a workflow move (reports.entry.signals
``reports_moved``) tells the people concerned."""

from reports.notices.services import notices_for_move


def reports_moved(sender, **kwargs):
    """Writes the notices of a move in its transaction; their e-mail leaves
    from the worker once it commits."""
    notices_for_move(
        reports=kwargs["reports"],
        step=kwargs["step"],
        user=kwargs["user"],
        comment=kwargs["comment"],
        province_code=kwargs["province_code"],
        year=kwargs["year"],
        category=kwargs["category"],
        sheet=kwargs["sheet"],
    )

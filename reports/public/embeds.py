"""The embeddable card and chart of a target row, for the nation or a
province (``?province=``), that other websites put in an ``<iframe>``.

These are the only pages that may be framed by another site:
``Content-Security-Policy: frame-ancestors *`` and no ``X-Frame-Options``;
every other page of the portal refuses to be framed."""

from django.conf import settings
from django.http import Http404
from django.utils.decorators import method_decorator
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override

from reports.progress.display import cards_build, overview_chart, target_groups
from reports.progress.figures import NATION
from reports.progress.tables import trend_sections
from reports.public.views import PublicPageView
from targets.indicators import Kind

EMBED_CSP = {**settings.SECURE_CSP, "frame-ancestors": ["*"]}


def framable(view):
    return method_decorator([xframe_options_exempt, csp_override(EMBED_CSP)], "get")(
        view
    )


class EmbedView(PublicPageView):
    """One card (the group of the target row at ``position``) in an area."""

    parameters = ("province",)

    def context(self, figures, links, params, *, position, **kwargs) -> dict:
        area = params.get("province") or NATION
        names = figures.province_names
        if area != NATION and area not in names:
            raise Http404(_("Unknown province."))
        cards = [
            card
            for card in cards_build(figures, area)
            if any(e.target.position == position for e in card.evaluations)
        ]
        if not cards:
            raise Http404(_("The release has no target row at this position."))
        card = cards[0]
        if area == NATION:
            page_url = links.url("overview")
        else:
            page_url = links.url("province", area)
        return {
            "title": card.label,
            "card": card,
            "cards": cards,
            "area": area,
            "area_name": names.get(area, _("Whole country")),
            "page_url": page_url,
            **self.chart(figures, area, card),
        }

    def chart(self, figures, area, card) -> dict:
        return {}


@framable
class EmbedCardView(EmbedView):
    template_name = "public/embed_card.html"
    url_name = "embed_card"


@framable
class EmbedChartView(EmbedView):
    """The card's chart: its family's trend since the baseline year (or,
    for a family with one value, its value against the thresholds)."""

    template_name = "public/embed_chart.html"
    url_name = "embed_chart"

    def chart(self, figures, area, card) -> dict:
        target = card.evaluations[0].target
        family = [
            section
            for section in trend_sections(figures, area)
            if section.key == slugify(target.family)
        ]
        if target.kind == Kind.GROWTH:
            # One section per group of the family, in the groups' order.
            groups = [
                group
                for group in target_groups(figures.targets)
                if group[0].family == target.family
            ]
            index = next(i for i, group in enumerate(groups) if target in group)
            family = family[index : index + 1]
        if family:
            chart, label = family[0].chart, family[0].label
        else:
            chart, label = overview_chart([card]), card.label
        return {"chart": fitted(chart), "chart_label": label}


def fitted(chart: dict) -> dict:
    """The chart sized by its box, which the embed sizes to the frame, so
    that its legend (a row under the plot) and the credit line stay inside
    the suggested ``<iframe>``."""
    layout = {k: v for k, v in chart["layout"].items() if k != "height"}
    legend = {**layout.get("legend", {}), "font": {"size": 11}}
    return {**chart, "layout": {**layout, "autosize": True, "legend": legend}}

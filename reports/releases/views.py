"""Ministry staff's pages of official releases: the list, one release, and
publishing (choose a year and notes, confirm, publish through
:func:`reports.releases.services.release_publish`)."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from reports.releases import selectors
from reports.releases.forms import ReleaseConfirmForm, ReleaseForm

RELEASE_VIEW = "reports.view_release"
RELEASE_PUBLISH = "reports.publish_release"


class ReleaseListView(PermissionRequiredMixin, TemplateView):
    """The releases, newest first, a page at a time."""

    permission_required = RELEASE_VIEW
    template_name = "releases/release_list.html"

    def get_context_data(self, **kwargs):
        page = selectors.release_page(page_number=self.request.GET.get("page"))
        rows = [
            (
                release,
                selectors.release_public_url(release.number),
                selectors.release_public_url(release.number, "revisions"),
            )
            for release in page.object_list
        ]
        return super().get_context_data(
            page_obj=page, rows=rows, page_query="", **kwargs
        )


class ReleaseDetailView(PermissionRequiredMixin, TemplateView):
    """One release: who published it and when, its notes, its SHA-256 and
    what changed since the release before it."""

    permission_required = RELEASE_VIEW
    template_name = "releases/release_detail.html"

    def get_context_data(self, **kwargs):
        release = selectors.release_get(number=self.kwargs["number"])
        return super().get_context_data(
            release=release,
            revisions=selectors.release_revisions(release),
            public_url=selectors.release_public_url(release.number),
            revisions_url=selectors.release_public_url(release.number, "revisions"),
            **kwargs,
        )


class ReleasePublishView(PermissionRequiredMixin, FormView):
    """The year and notes; a valid choice shows the confirmation."""

    permission_required = RELEASE_PUBLISH
    form_class = ReleaseForm
    template_name = "releases/release_form.html"

    def form_valid(self, form):
        preview = selectors.release_preview(
            counts=form.counts, notes=form.cleaned_data["notes"]
        )
        confirm = ReleaseConfirmForm(
            initial={**form.cleaned_data, "number": preview.number}
        )
        return render(
            self.request,
            "releases/release_confirm.html",
            {"form": confirm, "preview": preview, "notes": form.cleaned_data["notes"]},
        )


class ReleasePublishConfirmView(PermissionRequiredMixin, FormView):
    """Publishes the confirmed release (POST only) and opens it; a refusal
    shows the form again with the reason, nothing published."""

    permission_required = RELEASE_PUBLISH
    http_method_names = ["post"]
    form_class = ReleaseConfirmForm
    template_name = "releases/release_form.html"

    def form_valid(self, form):
        release = form.publish(user=self.request.user)
        if release is None:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Release %(number)s was published: its figures will not change.")
            % {"number": release.number},
        )
        return redirect("reports:release", number=release.number)

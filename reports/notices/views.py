"""The inbox: a person's notices, newest first; opening one marks it read and
follows its link; marking all read; the choice of e-mail. Every person sees
their own notices only (404 for anyone else's)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from reports.notices import selectors, services
from reports.notices.forms import NoticeSettingsForm


class InboxView(LoginRequiredMixin, View):
    """The person's notices, newest first, a page at a time."""

    def get(self, request):
        page = selectors.inbox_page(
            user=request.user, page_number=request.GET.get("page")
        )
        return render(
            request,
            "reports/notice_list.html",
            {
                "page_obj": page,
                "unread": selectors.unread_count(user=request.user),
                "page_query": "",
            },
        )


class NoticeOpenView(LoginRequiredMixin, View):
    """Opens one of the person's notices: marks it read and follows its link
    (the inbox when it has none)."""

    def get(self, request, pk):
        notice = services.notice_open(
            notice=selectors.notice_get(user=request.user, pk=pk)
        )
        if notice.url and url_has_allowed_host_and_scheme(
            notice.url, allowed_hosts={request.get_host()}
        ):
            return redirect(notice.url)
        return redirect("reports:notices")


class NoticesReadView(LoginRequiredMixin, View):
    """Marks every notice of the person read."""

    def post(self, request):
        count = services.notices_mark_all_read(user=request.user)
        if count:
            messages.success(
                request, _("%(count)s notices marked read.") % {"count": count}
            )
        return redirect("reports:notices")


class NoticeSettingsView(LoginRequiredMixin, FormView):
    """Whether the person's notices also come by e-mail."""

    form_class = NoticeSettingsForm
    template_name = "reports/notice_settings.html"
    success_url = reverse_lazy("reports:notice_settings")

    def get_initial(self):
        return {"email": selectors.notice_settings_get(user=self.request.user).email}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            has_address=bool(self.request.user.email),
            inbox_url=reverse("reports:notices"),
            **kwargs,
        )

    def form_valid(self, form):
        services.notice_settings_update(
            user=self.request.user, email=form.cleaned_data["email"]
        )
        messages.success(self.request, _("Your choice was saved."))
        return super().form_valid(form)

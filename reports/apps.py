from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Annual reports")

    def ready(self):
        from institutions.models import Institution
        from institutions.signals import institutions_changing
        from lifelong_learning.signals import data_writing, data_written
        from reports.entry import signals as entry_signals
        from reports.entry.models import AnnualReport
        from reports.notices import signals as notice_signals
        from reports.periods.signals import deadlines_changed
        from reports.progress import signals
        from targets.models import Target

        uid = "reports.progress.counters"
        pre_save.connect(signals.institution_pre_save, Institution, dispatch_uid=uid)
        post_save.connect(signals.institution_saved, Institution, dispatch_uid=uid)
        post_delete.connect(signals.institution_deleted, Institution, dispatch_uid=uid)
        pre_save.connect(signals.report_pre_save, AnnualReport, dispatch_uid=uid)
        post_save.connect(signals.report_saved, AnnualReport, dispatch_uid=uid)
        post_delete.connect(signals.report_deleted, AnnualReport, dispatch_uid=uid)
        pre_save.connect(signals.target_pre_save, Target, dispatch_uid=uid)
        post_save.connect(signals.target_changed, Target, dispatch_uid=uid)
        post_delete.connect(signals.target_deleted, Target, dispatch_uid=uid)
        data_writing.connect(signals.data_writing, dispatch_uid=uid)
        data_written.connect(signals.data_written, dispatch_uid=uid)
        institutions_changing.connect(
            entry_signals.institutions_changing, dispatch_uid="reports.entry"
        )
        entry_signals.reports_moved.connect(
            notice_signals.reports_moved, dispatch_uid="reports.notices"
        )
        deadlines_changed.connect(
            entry_signals.deadlines_changed, dispatch_uid="reports.entry"
        )

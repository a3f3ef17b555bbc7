from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "veerkracht.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

        from veerkracht.core.daily import register_daily_job
        from veerkracht.core.startpage import register_public_invitations
        from veerkracht.insights import signals
        from veerkracht.insights.invitations import open_survey_invitations
        from veerkracht.insights.reach import reach_count_due
        from veerkracht.people.models import Resident
        from veerkracht.people.signals import residents_added

        register_daily_job("insights: today's reach", reach_count_due)
        register_public_invitations("insights: open surveys", open_survey_invitations)

        pre_save.connect(signals.before_save, sender=Resident, dispatch_uid="insights-reach-before-save")
        post_save.connect(signals.after_save, sender=Resident, dispatch_uid="insights-reach-after-save")
        pre_delete.connect(signals.before_delete, sender=Resident, dispatch_uid="insights-reach-before-delete")
        post_delete.connect(signals.after_delete, sender=Resident, dispatch_uid="insights-reach-after-delete")
        residents_added.connect(signals.after_bulk_add, sender=Resident, dispatch_uid="insights-reach-bulk-add")

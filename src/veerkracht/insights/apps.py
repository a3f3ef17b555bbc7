from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "veerkracht.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

        from veerkracht.activities.counters import attendance_counters
        from veerkracht.contacts.counters import ContactCounter, contact_counters
        from veerkracht.core.daily import register_daily_job
        from veerkracht.core.startpage import register_public_invitations
        from veerkracht.insights import signals
        from veerkracht.insights.aggregates import attendance_counted, contact_now_reached, contacts_counted
        from veerkracht.insights.invitations import open_survey_invitations
        from veerkracht.insights.reach import reach_after, reach_before, reach_count_due
        from veerkracht.people.models import Resident
        from veerkracht.people.reached import ReachCounter, reach_counters
        from veerkracht.people.signals import residents_added

        register_daily_job("insights: today's reach", reach_count_due)
        # The figures follow the log as it is written (contacts/counters.py, activities/counters.py,
        # people/reached.py), inside the writing transaction.
        contact_counters.register("insights: contacts per day", ContactCounter(contacts_counted, contact_now_reached))
        attendance_counters.register("insights: attendance mix", attendance_counted)
        reach_counters.register("insights: reach", ReachCounter(reach_before, reach_after))
        register_public_invitations("insights: open surveys", open_survey_invitations)

        pre_save.connect(signals.before_save, sender=Resident, dispatch_uid="insights-reach-before-save")
        post_save.connect(signals.after_save, sender=Resident, dispatch_uid="insights-reach-after-save")
        pre_delete.connect(signals.before_delete, sender=Resident, dispatch_uid="insights-reach-before-delete")
        post_delete.connect(signals.after_delete, sender=Resident, dispatch_uid="insights-reach-after-delete")
        residents_added.connect(signals.after_bulk_add, sender=Resident, dispatch_uid="insights-reach-bulk-add")

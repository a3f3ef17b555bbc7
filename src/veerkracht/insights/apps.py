from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "veerkracht.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from veerkracht.activities.counters import attendance_counters
        from veerkracht.contacts.counters import ContactCounter, contact_counters
        from veerkracht.core.daily import register_daily_job
        from veerkracht.core.startpage import register_public_invitations
        from veerkracht.insights.aggregates import attendance_counted, contact_now_reached, contacts_counted
        from veerkracht.insights.invitations import open_survey_invitations
        from veerkracht.insights.reach import (
            reach_after,
            reach_before,
            reach_count_due,
            register_after,
            register_before,
        )
        from veerkracht.people.counters import RegisterCounter, register_counters
        from veerkracht.people.reached import ReachCounter, reach_counters

        register_daily_job("insights: today's reach", reach_count_due)
        # The figures follow the log and the register as they are written (contacts/counters.py,
        # activities/counters.py, people/reached.py, people/counters.py), inside the writing transaction.
        contact_counters.register("insights: contacts per day", ContactCounter(contacts_counted, contact_now_reached))
        attendance_counters.register("insights: attendance mix", attendance_counted)
        reach_counters.register("insights: reach", ReachCounter(reach_before, reach_after))
        register_counters.register("insights: reach", RegisterCounter(register_before, register_after))
        register_public_invitations("insights: open surveys", open_survey_invitations)

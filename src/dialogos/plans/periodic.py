"""Periodic work of action plans (see ``dialogos periodic``): reminders before a reporting
cycle's deadline to states that have not submitted."""

from dialogos.plans.tasks import send_report_reminders

TASKS = [send_report_reminders]

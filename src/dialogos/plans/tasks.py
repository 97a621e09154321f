"""Background work of action plans. Tasks take plain values and call a service; they also work
when run immediately (tests, embedded default)."""

from __future__ import annotations

from django_tasks import task

from dialogos.plans import services


@task()
def send_report_reminders() -> int:
    """Queue the reminders now due for open reporting cycles and send them (idempotent)."""
    services.queue_report_reminders()
    return services.send_report_reminders()


@task()
def recompute_plan(plan_id: int) -> str:
    """Recompute the stored progress of one plan's items."""
    from dialogos.plans.models import ActionPlan

    plan = ActionPlan.objects.filter(pk=plan_id).first()
    if plan is None:
        return "missing"
    return str(services.recompute_progress(plan=plan).progress)

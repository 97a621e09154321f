"""Background work of the news app. Tasks take plain values and call a service; they also
work when run immediately (tests, embedded default)."""

from __future__ import annotations

from django_tasks import task

from dialogos.news.services import sending


@task()
def send_review(issue_id: int) -> int:
    """Send every pending e-mail of a review issue (each at most once); returns how many."""
    return sending.send_issue(issue_id)

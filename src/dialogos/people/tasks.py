"""Background work of the people app: e-mails that must not slow a request down."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from dialogos.people.models import Invitation


@task()
def send_invitation(invitation_id: int, token: str) -> None:
    invitation = (
        Invitation.objects.select_related("dialogue", "country", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_usable():
        return
    with translation.override(invitation.language):
        link = settings.SITE_URL + reverse("people:accept_invitation", kwargs={"token": token})
        context = {"invitation": invitation, "link": link}
        subject = render_to_string("people/email/invitation_subject.txt", context).strip()
        body = render_to_string("people/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])

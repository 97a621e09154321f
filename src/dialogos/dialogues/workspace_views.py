"""The secretariat's workspace: participations, bodies, offices, groupings, people, audit log.

Every view finds the dialogue and lets only its secretariat (or an operator) through;
everyone else, signed in or not, gets the same 404. Writes go through the services, which
validate, lock and audit; their ``ValidationError`` is shown on the form.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dialogos.core import access
from dialogos.core.models import AuditEntry
from dialogos.dialogues import services
from dialogos.dialogues.models import (
    Body,
    BodyMembership,
    Dialogue,
    Grouping,
    GroupingMembership,
    Office,
    Participation,
)
from dialogos.dialogues.workspace_forms import (
    BodyForm,
    BodyMembershipForm,
    EndForm,
    GroupingMembershipForm,
    InviteForm,
    OfficeForm,
    ParticipationForm,
    attach_errors,
    model_fields,
)
from dialogos.people import services as people_services
from dialogos.people.models import Invitation, Role

AUDIT_PAGE_SIZE = 50


def _dialogue(request: HttpRequest, slug: str) -> Dialogue:
    """The dialogue, if the user is its secretariat; 404 alike for missing and forbidden."""
    dialogue = Dialogue.objects.filter(slug=slug).first()
    if dialogue is None:
        raise Http404
    access.require_secretariat(request.user, dialogue.pk)
    return dialogue


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"nav_section": "workspace", **context})


def _save_form(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[], Any],
    success: str,
) -> bool:
    """Validate ``form`` and call ``save``; on a service error, show it on the form."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save()
    except ValidationError as error:
        attach_errors(form, error)
        return False
    messages.success(request, success)
    return True


def _form_page(
    request: HttpRequest,
    dialogue: Dialogue,
    form: forms.BaseForm,
    *,
    title: str,
    section: str,
    back: str,
    submit: str,
) -> HttpResponse:
    context = {
        "dialogue": dialogue,
        "form": form,
        "title": title,
        "section": section,
        "back": back,
        "submit": submit,
        "current": "true",
    }
    return _render(request, "workspace/form.html", context)


def _remove(
    request: HttpRequest,
    dialogue: Dialogue,
    *,
    obj: object,
    delete: Callable[[], object],
    done: str,
    title: str,
    section: str,
    back: str,
) -> HttpResponse:
    """GET asks to confirm the removal of ``obj``; POST removes it through ``delete``."""
    if request.method == "POST":
        delete()
        messages.success(request, done)
        return redirect(back)
    return _confirm_page(request, dialogue, title=title, what=str(obj), section=section, back=back)


def _confirm_page(
    request: HttpRequest, dialogue: Dialogue, *, title: str, what: str, section: str, back: str
) -> HttpResponse:
    context = {
        "dialogue": dialogue,
        "title": title,
        "what": what,
        "section": section,
        "back": back,
        "current": "true",
    }
    return _render(request, "workspace/confirm_remove.html", context)


def _holder_key(obj: Any) -> str:
    """Sort by the state's or organisation's name as the reader sees it (active language)."""
    holder = getattr(obj, "holder", None) or getattr(obj, "country", None)
    return str(holder).casefold()


# Index and overview ----------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    managed = access.managed_dialogue_ids(request.user)
    dialogues = Dialogue.objects.all()
    if managed is not None:
        if not managed:
            raise Http404
        dialogues = dialogues.filter(pk__in=managed)
    return _render(request, "workspace/index.html", {"dialogues": dialogues})


def dialogue_overview(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    today = timezone.localdate()
    current = Q(start__isnull=True) | Q(start__lte=today)
    current &= Q(end__isnull=True) | Q(end__gte=today)
    participations = Participation.objects.filter(dialogue=dialogue).filter(current)
    counts = {
        "states": participations.filter(country__isnull=False).count(),
        "organisations": participations.filter(organisation__isnull=False).count(),
        "bodies": Body.objects.filter(dialogue=dialogue).count(),
        "offices": Office.objects.filter(dialogue=dialogue).filter(current).count(),
        "groupings": dialogue.groupings.count(),
        "roles": Role.objects.active().filter(dialogue=dialogue).count(),
        "invitations": Invitation.objects.filter(
            dialogue=dialogue, accepted_at__isnull=True, expires_at__gt=timezone.now()
        ).count(),
    }
    recent = AuditEntry.objects.filter(dialogue_id=dialogue.pk).select_related("actor")[:5]
    context = {"dialogue": dialogue, "counts": counts, "recent": recent, "section": "overview"}
    return _render(request, "workspace/dialogue.html", context)


# Participations --------------------------------------------------------------------------


def participations(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    rows = sorted(
        Participation.objects.filter(dialogue=dialogue).select_related("country", "organisation"),
        key=lambda p: (p.status, _holder_key(p)),
    )
    today = timezone.localdate()
    context = {
        "dialogue": dialogue,
        "section": "participations",
        "current": [p for p in rows if p.is_current(today) or (p.start and p.start > today)],
        "past": [p for p in rows if p.end and p.end < today],
    }
    return _render(request, "workspace/participations.html", context)


@require_http_methods(["GET", "POST"])
def participation_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    if pk is None:
        instance = Participation(dialogue=dialogue)
    else:
        instance = get_object_or_404(Participation, pk=pk, dialogue=dialogue)
    form = ParticipationForm(request.POST or None, instance=instance)

    def save() -> None:
        fields = model_fields(form)
        if pk is None:
            fields["dialogue"] = dialogue
        services.save_participation(
            actor=request.user, participation=instance if pk else None, **fields
        )

    if _save_form(request, form, save, _("The participation was saved.")):
        return redirect("workspace:participations", slug=dialogue.slug)
    back = reverse("workspace:participations", kwargs={"slug": dialogue.slug})
    return _form_page(
        request,
        dialogue,
        form,
        title=_("Add a participant") if pk is None else _("Change participation: %s") % instance,
        section="participations",
        back=back,
        submit=_("Save"),
    )


@require_http_methods(["GET", "POST"])
def participation_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    participation = get_object_or_404(Participation, pk=pk, dialogue=dialogue)
    back = reverse("workspace:participations", kwargs={"slug": dialogue.slug})
    return _remove(
        request,
        dialogue,
        obj=participation,
        delete=lambda: services.delete_participation(
            actor=request.user, participation=participation
        ),
        done=_("The participation was removed."),
        title=_("Remove a participation"),
        section="participations",
        back=back,
    )


# Bodies ----------------------------------------------------------------------------------


def bodies(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    today = timezone.localdate()
    current = Q(memberships__start__isnull=True) | Q(memberships__start__lte=today)
    current &= Q(memberships__end__isnull=True) | Q(memberships__end__gte=today)
    rows = Body.objects.filter(dialogue=dialogue).annotate(
        member_count=Count("memberships", filter=current, distinct=True)
    )
    context = {"dialogue": dialogue, "section": "bodies", "bodies": rows}
    return _render(request, "workspace/bodies.html", context)


@require_http_methods(["GET", "POST"])
def body_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    instance = (
        Body(dialogue=dialogue) if pk is None else get_object_or_404(Body, pk=pk, dialogue=dialogue)
    )
    form = BodyForm(request.POST or None, instance=instance)
    saved: list[Body] = []

    def save() -> None:
        fields = model_fields(form)
        if pk is None:
            fields["dialogue"] = dialogue
        saved.append(
            services.save_body(actor=request.user, body=instance if pk else None, **fields)
        )

    if _save_form(request, form, save, _("The body was saved.")):
        return redirect("workspace:body", slug=dialogue.slug, pk=saved[0].pk)
    if pk is None:
        back = reverse("workspace:bodies", kwargs={"slug": dialogue.slug})
        return _form_page(
            request,
            dialogue,
            form,
            title=_("Add a body"),
            section="bodies",
            back=back,
            submit=_("Save"),
        )
    members = sorted(
        BodyMembership.objects.filter(body=instance).select_related("country", "organisation"),
        key=_holder_key,
    )
    context = {
        "dialogue": dialogue,
        "section": "bodies",
        "body": instance,
        "form": form,
        "members": members,
        "current": "true",
    }
    return _render(request, "workspace/body.html", context)


def _body(dialogue: Dialogue, pk: int) -> Body:
    return get_object_or_404(Body, pk=pk, dialogue=dialogue)


@require_http_methods(["GET", "POST"])
def body_member_edit(
    request: HttpRequest, slug: str, pk: int, member_pk: int | None = None
) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    body = _body(dialogue, pk)
    instance = (
        BodyMembership(body=body)
        if member_pk is None
        else get_object_or_404(BodyMembership, pk=member_pk, body=body)
    )
    form = BodyMembershipForm(request.POST or None, instance=instance)

    def save() -> None:
        fields = model_fields(form)
        if member_pk is None:
            fields["body"] = body
        services.save_body_membership(
            actor=request.user, membership=instance if member_pk else None, **fields
        )

    back = reverse("workspace:body", kwargs={"slug": dialogue.slug, "pk": body.pk})
    if _save_form(request, form, save, _("The member was saved.")):
        return redirect(back)
    title = (
        _("Add a member to %s") % body if member_pk is None else _("Change member: %s") % instance
    )
    return _form_page(
        request, dialogue, form, title=title, section="bodies", back=back, submit=_("Save")
    )


@require_http_methods(["GET", "POST"])
def body_member_remove(request: HttpRequest, slug: str, pk: int, member_pk: int) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    body = _body(dialogue, pk)
    membership = get_object_or_404(BodyMembership, pk=member_pk, body=body)
    back = reverse("workspace:body", kwargs={"slug": dialogue.slug, "pk": body.pk})
    return _remove(
        request,
        dialogue,
        obj=membership,
        delete=lambda: services.delete_body_membership(actor=request.user, membership=membership),
        done=_("The member was removed."),
        title=_("Remove a member"),
        section="bodies",
        back=back,
    )


# Offices ---------------------------------------------------------------------------------


def offices(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    rows = list(
        Office.objects.filter(dialogue=dialogue)
        .select_related("body", "country", "organisation")
        .order_by("kind", "body__order", "-start")
    )
    today = timezone.localdate()
    context = {
        "dialogue": dialogue,
        "section": "offices",
        "current": [o for o in rows if not (o.end and o.end < today)],
        "past": [o for o in rows if o.end and o.end < today],
    }
    return _render(request, "workspace/offices.html", context)


@require_http_methods(["GET", "POST"])
def office_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    instance = (
        Office(dialogue=dialogue)
        if pk is None
        else get_object_or_404(Office, pk=pk, dialogue=dialogue)
    )
    form = OfficeForm(request.POST or None, instance=instance, dialogue=dialogue)

    def save() -> None:
        fields = model_fields(form)
        if pk is None:
            fields["dialogue"] = dialogue
        services.save_office(actor=request.user, office=instance if pk else None, **fields)

    if _save_form(request, form, save, _("The office was saved.")):
        return redirect("workspace:offices", slug=dialogue.slug)
    back = reverse("workspace:offices", kwargs={"slug": dialogue.slug})
    title = _("Add an office holder") if pk is None else _("Change office: %s") % instance
    return _form_page(
        request, dialogue, form, title=title, section="offices", back=back, submit=_("Save")
    )


@require_http_methods(["GET", "POST"])
def office_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    office = get_object_or_404(Office, pk=pk, dialogue=dialogue)
    back = reverse("workspace:offices", kwargs={"slug": dialogue.slug})
    return _remove(
        request,
        dialogue,
        obj=office,
        delete=lambda: services.delete_office(actor=request.user, office=office),
        done=_("The office was removed."),
        title=_("Remove an office"),
        section="offices",
        back=back,
    )


# Groupings -------------------------------------------------------------------------------


def groupings(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    members = GroupingMembership.objects.select_related("country").order_by("-start")
    rows = list(dialogue.groupings.prefetch_related(Prefetch("memberships", queryset=members)))
    for grouping in rows:
        grouping.members = sorted(grouping.memberships.all(), key=_holder_key)  # type: ignore[attr-defined]
    context = {
        "dialogue": dialogue,
        "section": "groupings",
        "groupings": rows,
        "today": timezone.localdate(),
    }
    return _render(request, "workspace/groupings.html", context)


def _grouping(dialogue: Dialogue, grouping_slug: str) -> Grouping:
    """A grouping this dialogue uses; others are not the secretariat's to change here."""
    return get_object_or_404(dialogue.groupings.all(), slug=grouping_slug)


def _grouping_membership(dialogue: Dialogue, grouping_slug: str, pk: int) -> GroupingMembership:
    grouping = _grouping(dialogue, grouping_slug)
    return get_object_or_404(
        GroupingMembership.objects.select_related("grouping", "country"), pk=pk, grouping=grouping
    )


@require_http_methods(["GET", "POST"])
def grouping_member_edit(
    request: HttpRequest, slug: str, grouping_slug: str, pk: int | None = None
) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    grouping = _grouping(dialogue, grouping_slug)
    instance = (
        GroupingMembership(grouping=grouping)
        if pk is None
        else _grouping_membership(dialogue, grouping_slug, pk)
    )
    form = GroupingMembershipForm(request.POST or None, instance=instance)

    def save() -> None:
        fields = model_fields(form)
        if pk is None:
            fields["grouping"] = grouping
        services.save_grouping_membership(
            actor=request.user, membership=instance if pk else None, **fields
        )

    if _save_form(request, form, save, _("The membership was saved.")):
        return redirect("workspace:groupings", slug=dialogue.slug)
    back = reverse("workspace:groupings", kwargs={"slug": dialogue.slug})
    title = (
        _("Add a member state to %s") % grouping
        if pk is None
        else _("Change membership: %s") % instance
    )
    return _form_page(
        request, dialogue, form, title=title, section="groupings", back=back, submit=_("Save")
    )


@require_http_methods(["GET", "POST"])
def grouping_member_end(
    request: HttpRequest, slug: str, grouping_slug: str, pk: int
) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    membership = _grouping_membership(dialogue, grouping_slug, pk)
    form = EndForm(request.POST or None, initial={"end": timezone.localdate()})

    def save() -> None:
        services.save_grouping_membership(
            actor=request.user, membership=membership, end=form.cleaned_data["end"]
        )

    if _save_form(request, form, save, _("The membership was ended.")):
        return redirect("workspace:groupings", slug=dialogue.slug)
    back = reverse("workspace:groupings", kwargs={"slug": dialogue.slug})
    return _form_page(
        request,
        dialogue,
        form,
        title=_("End membership: %s") % membership,
        section="groupings",
        back=back,
        submit=_("End the membership"),
    )


@require_http_methods(["GET", "POST"])
def grouping_member_remove(
    request: HttpRequest, slug: str, grouping_slug: str, pk: int
) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    membership = _grouping_membership(dialogue, grouping_slug, pk)
    back = reverse("workspace:groupings", kwargs={"slug": dialogue.slug})
    return _remove(
        request,
        dialogue,
        obj=membership,
        delete=lambda: services.delete_grouping_membership(
            actor=request.user, membership=membership
        ),
        done=_("The membership was removed."),
        title=_("Remove a membership"),
        section="groupings",
        back=back,
    )


# People: roles and invitations -------------------------------------------------------------


def people(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    roles = (
        Role.objects.active()
        .filter(dialogue=dialogue)
        .select_related("user", "country", "organisation", "granted_by")
        .order_by("role", "country__code", "user__email")
    )
    invitations = Invitation.objects.filter(dialogue=dialogue).select_related(
        "country", "invited_by", "accepted_by"
    )
    context = {
        "dialogue": dialogue,
        "section": "people",
        "roles": roles,
        "invitations": invitations,
    }
    return _render(request, "workspace/people.html", context)


@require_POST
def role_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    grant = get_object_or_404(
        Role.objects.active().select_related("user", "dialogue", "country"),
        pk=pk,
        dialogue=dialogue,
    )
    people_services.revoke_role(actor=request.user, grant=grant)
    access.forget(request.user)  # the grant may have been the user's own
    messages.success(request, _("The role of %(user)s was revoked.") % {"user": grant.user.email})
    if not access.principal(request.user).is_secretariat(dialogue.pk):
        # The user revoked their own secretariat role: this workspace is closed to them now.
        return redirect("people:account")
    return redirect("workspace:people", slug=dialogue.slug)


@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    known = dict(settings.LANGUAGES)
    language = dialogue.main_language if dialogue.main_language in known else get_language()
    form = InviteForm(request.POST or None, initial={"language": language})

    def save() -> None:
        people_services.invite_person(
            actor=request.user,
            dialogue=dialogue,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            country=form.cleaned_data["country"],
            display_name=form.cleaned_data["display_name"],
            language=form.cleaned_data["language"],
        )

    if _save_form(request, form, save, _("The invitation was sent.")):
        return redirect("workspace:people", slug=dialogue.slug)
    back = reverse("workspace:people", kwargs={"slug": dialogue.slug})
    return _form_page(
        request,
        dialogue,
        form,
        title=_("Invite someone"),
        section="people",
        back=back,
        submit=_("Send the invitation"),
    )


# Audit log -------------------------------------------------------------------------------


def _audit_value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    entries = AuditEntry.objects.filter(dialogue_id=dialogue.pk).select_related("actor")
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        entry.change_rows = [  # type: ignore[attr-defined]
            (name, _audit_value(before), _audit_value(after))
            for name, before, after in entry.changes()
        ]
    context = {"dialogue": dialogue, "section": "audit", "page": page}
    return _render(request, "workspace/audit.html", context)

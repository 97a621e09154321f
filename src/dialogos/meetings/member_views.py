"""Member pages of meetings, under /<lang>/account/meetings/: one's registrations and private
calendar, applications, and for focal points the nominations and credentials of their state.

Writes go through ``meetings.services``. A meeting the user may not see answers 404; a
write the services refuse (``PermissionDenied``) answers 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dialogos.core import access
from dialogos.core.forms import attach_errors
from dialogos.dialogues.models import Participation
from dialogos.meetings import services
from dialogos.meetings.member_forms import (
    ApplyForm,
    CredentialsForm,
    NominateForm,
    RegistrationDetailsForm,
)
from dialogos.meetings.models import Credentials, Meeting, Registration
from dialogos.people import services as people_services

NAV = {"nav_section": "account"}
LIST_LIMIT = 30


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {**NAV, **context})


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    return access.get_visible_or_404(
        request.user, Meeting.objects.select_related("dialogue"), pk=pk
    )


def _own_registrations(user: Any) -> Any:
    return Registration.objects.filter(Q(user_id=user.pk) | Q(person__user_id=user.pk))


def _focal_countries(user: Any, meeting: Meeting) -> list[str]:
    """States the user may nominate for at this meeting (all participating ones for the
    secretariat), sorted by code."""
    codes = services.nominable_countries(user=user, meeting=meeting)
    if "*" in codes:
        codes = set(
            Participation.objects.filter(
                dialogue_id=meeting.dialogue_id, country__isnull=False
            ).values_list("country_id", flat=True)
        )
    return sorted(codes)


@login_required
def my_meetings(request: HttpRequest) -> HttpResponse:
    user = request.user
    registrations = list(
        _own_registrations(user)
        .select_related("meeting", "meeting__dialogue", "country", "organisation", "person")
        .order_by("-meeting__start", "-pk")
    )
    registered = {r.meeting_id for r in registrations if r.is_active}
    who = access.principal(user)
    focal_dialogues = {d for d, role, _c in who.grants if role == access.FOCAL_POINT}
    upcoming = access.visible(user, Meeting.objects.upcoming()).select_related("dialogue")
    nominate = [
        m
        for m in upcoming.filter(dialogue_id__in=focal_dialogues).exclude(
            registration_mode=Meeting.RegistrationMode.NONE
        )[:LIST_LIMIT]
        if m.is_open_for_registration()
    ]
    apply = [
        m
        for m in upcoming.filter(
            Q(registration_mode=Meeting.RegistrationMode.OPEN)
            | Q(
                registration_mode=Meeting.RegistrationMode.MEMBERS,
                dialogue_id__in=who.member_of,
            )
        ).exclude(pk__in=registered)[:LIST_LIMIT]
        if m.is_open_for_registration()
    ]
    feed = services.calendar_feed_for(user=user)
    context = {
        "registrations": registrations,
        "nominate": nominate,
        "apply": apply,
        "feed": feed,
    }
    return _render(request, "meetings/member/my_meetings.html", context)


@login_required
@require_POST
def rotate_feed(request: HttpRequest) -> HttpResponse:
    services.rotate_calendar_feed(user=request.user)
    messages.success(request, _("Your calendar has a new address; the old one no longer works."))
    return redirect("meetings_member:mine")


def _registration(request: HttpRequest, pk: int) -> Registration:
    """A registration the user may act for: his own, or one of his state's as focal point."""
    reg = get_object_or_404(
        Registration.objects.select_related("meeting", "meeting__dialogue", "person", "country"),
        pk=pk,
    )
    who = access.principal(request.user)
    own = request.user.pk in {reg.user_id, reg.person.user_id}
    focal = bool(reg.country_id) and reg.country_id in who.countries(
        reg.meeting.dialogue_id, access.FOCAL_POINT
    )
    if not (own or focal or who.is_secretariat(reg.meeting.dialogue_id)):
        raise Http404
    return reg


@login_required
@require_http_methods(["GET", "POST"])
def registration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reg = _registration(request, pk)
    form = RegistrationDetailsForm(request.POST or None, instance=reg)
    if request.method == "POST" and form.is_valid():
        changes = {
            name: form.cleaned_data[name]
            for name in form.Meta.fields
            if form.cleaned_data[name] != form.initial.get(name)
        }
        try:
            if changes:
                services.update_registration(actor=request.user, registration=reg, **changes)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Your registration was changed."))
            return redirect("meetings_member:registration", pk=reg.pk)
    context = {"registration": reg, "meeting": reg.meeting, "form": form}
    return _render(request, "meetings/member/registration.html", context)


@login_required
@require_POST
def registration_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    reg = _registration(request, pk)
    try:
        services.withdraw_registration(actor=request.user, registration=reg)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("meetings_member:registration", pk=reg.pk)
    messages.success(
        request, _("The registration for %(meeting)s was withdrawn.") % {"meeting": reg.meeting}
    )
    return redirect("meetings_member:mine")


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = ApplyForm(
        request.POST or None,
        initial={"delegation_role": Registration.DelegationRole.EXPERT},
    )
    if request.method == "POST" and form.is_valid():
        try:
            reg = services.apply_to_meeting(
                actor=request.user, meeting=meeting, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("You applied for %(meeting)s: %(status)s.")
                % {"meeting": meeting, "status": reg.get_status_display()},
            )
            return redirect("meetings_member:mine")
    return _render(request, "meetings/member/apply.html", {"meeting": meeting, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    countries = _focal_countries(request.user, meeting)
    if not countries:
        raise Http404
    form = NominateForm(request.POST or None, countries=countries)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                person = form.cleaned_data["person"] or people_services.save_person(
                    actor=request.user, **form.new_person_fields()
                )
                reg = services.nominate_delegate(
                    actor=request.user,
                    meeting=meeting,
                    person=person,
                    country=form.cleaned_data["country"],
                    **form.registration_fields(),
                )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("%(person)s was nominated: %(status)s.")
                % {"person": reg.person, "status": reg.get_status_display()},
            )
            return redirect("meetings_member:nominate", pk=meeting.pk)
    delegation = list(
        Registration.objects.filter(meeting=meeting, country_id__in=countries)
        .select_related("person", "country")
        .order_by("country_id", "status", "person__family_name", "pk")
    )
    context = {
        "meeting": meeting,
        "form": form,
        "delegation": delegation,
        "credentials_url": reverse("meetings_member:credentials", args=[meeting.pk])
        if meeting.requires_credentials
        else "",
    }
    return _render(request, "meetings/member/nominate.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def credentials(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    countries = _focal_countries(request.user, meeting)
    if not countries or not meeting.requires_credentials:
        raise Http404
    form = CredentialsForm(request.POST or None, request.FILES or None, countries=countries)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_credentials(
                actor=request.user,
                meeting=meeting,
                country=form.cleaned_data["country"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The letter of credentials was sent to the secretariat."))
            return redirect("meetings_member:credentials", pk=meeting.pk)
    submitted = list(
        Credentials.objects.filter(meeting=meeting, country_id__in=countries).select_related(
            "country"
        )
    )
    context = {"meeting": meeting, "form": form, "submitted": submitted}
    return _render(request, "meetings/member/credentials.html", context)

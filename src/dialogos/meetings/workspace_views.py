"""The secretariat's meeting pages: meetings, agenda, documents, minutes, registrations,
credentials, exports, statistics and changes of schedule.

Every view finds the dialogue by its slug and lets only its secretariat (or an operator)
through; everyone else, signed in or not, gets the same 404. Writes go through
``meetings.services``; their ``ValidationError`` is shown on the form, and a
``PermissionDenied`` from a service answers 404 like every other refusal here.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dialogos.core import access
from dialogos.core.models import Country
from dialogos.dialogues.models import Dialogue, Participation
from dialogos.meetings import services
from dialogos.meetings.models import (
    AgendaDay,
    AgendaSession,
    Credentials,
    Meeting,
    MeetingDocument,
    MeetingFile,
    MeetingMinutes,
    Notification,
    Registration,
    ScheduleAction,
    ScheduleDecision,
    StateQuota,
)
from dialogos.meetings.workspace_forms import (
    AddRegistrationForm,
    AgendaDayForm,
    AgendaSessionForm,
    CredentialsDecisionForm,
    DocumentForm,
    FileForm,
    MassScheduleForm,
    MeetingForm,
    MinutesForm,
    QuotaForm,
    RejectForm,
    ScheduleChangeForm,
    attach_errors,
    model_fields,
)
from dialogos.people import services as people_services

Status = Registration.Status
R = TypeVar("R", bound=HttpResponseBase)


def _dialogue(request: HttpRequest, slug: str) -> Dialogue:
    """The dialogue, if the user is its secretariat; 404 alike for missing and forbidden."""
    dialogue = Dialogue.objects.filter(slug=slug).first()
    if dialogue is None:
        raise Http404
    access.require_secretariat(request.user, dialogue.pk)
    return dialogue


def _meeting(request: HttpRequest, slug: str, pk: int) -> tuple[Dialogue, Meeting]:
    dialogue = _dialogue(request, slug)
    meeting = get_object_or_404(
        Meeting.objects.select_related("dialogue"), pk=pk, dialogue=dialogue
    )
    return dialogue, meeting


def _refusals_as_404(view: Callable[..., R]) -> Callable[..., R]:
    """A service's ``PermissionDenied`` answers like every other refusal here: 404."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> R:
        try:
            return view(*args, **kwargs)
        except PermissionDenied as exc:
            raise Http404 from exc

    return wrapper


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"nav_section": "workspace", "section": "meetings", **context})


def _save_form(
    request: HttpRequest, form: forms.BaseForm, save: Callable[[], Any], success: str
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


def _error_message(request: HttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


def _meeting_url(name: str, meeting: Meeting) -> str:
    return reverse(f"meetings_workspace:{name}", args=[meeting.dialogue.slug, meeting.pk])


# Meetings --------------------------------------------------------------------------------


@_refusals_as_404
def meeting_list(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    now = timezone.now()
    seats = Q(registrations__status__in=Registration.SEAT_STATUSES)
    rows = (
        Meeting.objects.for_dialogue(dialogue)
        .select_related("country", "body")
        .annotate(
            seats_taken=Count("registrations", filter=seats, distinct=True),
            waiting=Count(
                "registrations", filter=Q(registrations__status=Status.WAITING), distinct=True
            ),
            pending=Count(
                "registrations", filter=Q(registrations__status=Status.PENDING), distinct=True
            ),
        )
    )
    upcoming = list(rows.filter(end__gte=now).order_by("start", "pk"))
    past = list(rows.filter(end__lt=now).order_by("-start", "-pk"))
    context = {"dialogue": dialogue, "upcoming": upcoming, "past": past}
    return _render(request, "meetings/workspace/list.html", context)


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    if pk is None:
        meeting = Meeting(dialogue=dialogue)
    else:
        meeting = get_object_or_404(Meeting, pk=pk, dialogue=dialogue)
    old_status = meeting.status
    form = MeetingForm(request.POST or None, instance=meeting, dialogue=dialogue)
    saved: list[Meeting] = []

    def save() -> None:
        fields = model_fields(form)
        host_states = fields.pop("host_states", [])
        if pk is None:
            saved.append(
                services.create_meeting(
                    actor=request.user, dialogue=dialogue, host_states=host_states, **fields
                )
            )
        else:
            if fields.get("status") == old_status:
                fields.pop("status")
            saved.append(
                services.update_meeting(
                    actor=request.user, meeting=meeting, host_states=host_states, **fields
                )
            )

    if _save_form(request, form, save, _("The meeting was saved.")):
        return redirect("meetings_workspace:detail", slug=dialogue.slug, pk=saved[0].pk)
    context = {"dialogue": dialogue, "meeting": meeting if pk else None, "form": form}
    return _render(request, "meetings/workspace/edit.html", context)


@_refusals_as_404
def meeting_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue, meeting = _meeting(request, slug, pk)
    context = {
        "dialogue": dialogue,
        "meeting": meeting,
        "tab": "overview",
        "seats": services.seats_summary(meeting),
        "statistics": services.meeting_statistics(meeting),
        "history": services.schedule_history(meeting),
        "host_states": list(meeting.host_states.all()),
    }
    return _render(request, "meetings/workspace/detail.html", context)


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def quotas(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue, meeting = _meeting(request, slug, pk)
    form = QuotaForm(request.POST or None)

    def save() -> None:
        services.set_state_quota(
            actor=request.user,
            meeting=meeting,
            country=form.cleaned_data["country"],
            seats=form.cleaned_data["seats"],
        )

    if _save_form(request, form, save, _("The seats of the state were saved.")):
        return redirect(_meeting_url("quotas", meeting))
    summary = services.seats_summary(meeting)
    names = {c.code: c for c in Country.objects.filter(code__in=list(summary["per_state"]))}
    per_state = [
        {"country": names.get(code, code), **row} for code, row in summary["per_state"].items()
    ]
    context = {
        "dialogue": dialogue,
        "meeting": meeting,
        "tab": "quotas",
        "form": form,
        "seats": summary,
        "per_state": sorted(per_state, key=lambda r: str(r["country"]).casefold()),
        "overrides": StateQuota.objects.filter(meeting=meeting).count(),
    }
    return _render(request, "meetings/workspace/quotas.html", context)


# Agenda, documents, minutes ---------------------------------------------------------------


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def agenda(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue, meeting = _meeting(request, slug, pk)
    is_day = request.POST.get("form") == "day"
    day_form = AgendaDayForm(
        request.POST if is_day else None, prefix="day", instance=AgendaDay(meeting=meeting)
    )
    session_form = AgendaSessionForm(
        request.POST if request.method == "POST" and not is_day else None,
        prefix="session",
        meeting=meeting,
        instance=AgendaSession(meeting=meeting),
    )

    def save_day() -> None:
        services.save_agenda_day(actor=request.user, meeting=meeting, **model_fields(day_form))

    def save_session() -> None:
        _save_session(request, meeting, session_form, None)

    if is_day and _save_form(request, day_form, save_day, _("The day was added.")):
        return redirect(_meeting_url("agenda", meeting))
    if (
        request.method == "POST"
        and not is_day
        and _save_form(request, session_form, save_session, _("The session was saved."))
    ):
        return redirect(_meeting_url("agenda", meeting))
    days = AgendaDay.objects.filter(meeting=meeting).prefetch_related(
        Prefetch(
            "sessions",
            queryset=AgendaSession.objects.order_by("start_time", "order", "pk").prefetch_related(
                "chairs", "speakers"
            ),
        )
    )
    context = {
        "dialogue": dialogue,
        "meeting": meeting,
        "tab": "agenda",
        "days": days,
        "day_form": day_form,
        "session_form": session_form,
    }
    return _render(request, "meetings/workspace/agenda.html", context)


def _save_session(
    request: HttpRequest,
    meeting: Meeting,
    form: AgendaSessionForm,
    session: AgendaSession | None,
) -> None:
    fields = model_fields(form)
    services.save_agenda_session(
        actor=request.user,
        meeting=meeting,
        session=session,
        chairs=fields.pop("chairs", []),
        speakers=fields.pop("speakers", []),
        **fields,
    )


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, slug: str, pk: int, session_pk: int) -> HttpResponse:
    dialogue, meeting = _meeting(request, slug, pk)
    session = get_object_or_404(AgendaSession, pk=session_pk, meeting=meeting)
    form = AgendaSessionForm(request.POST or None, meeting=meeting, instance=session)
    if _save_form(
        request,
        form,
        lambda: _save_session(request, meeting, form, session),
        _("The session was saved."),
    ):
        return redirect(_meeting_url("agenda", meeting))
    context = {"dialogue": dialogue, "meeting": meeting, "tab": "agenda", "form": form}
    return _render(request, "meetings/workspace/session.html", context)


@_refusals_as_404
@require_POST
def session_delete(request: HttpRequest, slug: str, pk: int, session_pk: int) -> HttpResponse:
    meeting = _meeting(request, slug, pk)[1]
    session = get_object_or_404(AgendaSession, pk=session_pk, meeting=meeting)
    services.delete_agenda_session(actor=request.user, session=session)
    messages.success(request, _("The session was removed."))
    return redirect(_meeting_url("agenda", meeting))


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue, meeting = _meeting(request, slug, pk)
    form = DocumentForm(
        request.POST or None, meeting=meeting, instance=MeetingDocument(meeting=meeting)
    )

    def save() -> None:
        services.save_meeting_document(actor=request.user, meeting=meeting, **model_fields(form))

    if _save_form(request, form, save, _("The document was added; now upload its files.")):
        return redirect(_meeting_url("documents", meeting))
    context = {
        "dialogue": dialogue,
        "meeting": meeting,
        "tab": "documents",
        "form": form,
        "documents": _documents(meeting),
        "file_form": FileForm(),
    }
    return _render(request, "meetings/workspace/documents.html", context)


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def document_edit(request: HttpRequest, slug: str, pk: int, document_pk: int) -> HttpResponse:
    """Change a document's details (title, kind, session, description, order, access), or
    remove it with its files."""
    dialogue, meeting = _meeting(request, slug, pk)
    document = get_object_or_404(MeetingDocument, pk=document_pk, meeting=meeting)
    if request.method == "POST" and request.POST.get("remove"):
        services.delete_meeting_document(actor=request.user, document=document)
        messages.success(request, _("The document and its files were removed."))
        return redirect(_meeting_url("documents", meeting))
    form = DocumentForm(request.POST or None, meeting=meeting, instance=document)

    def save() -> None:
        services.save_meeting_document(
            actor=request.user, meeting=meeting, document=document, **model_fields(form)
        )

    if _save_form(request, form, save, _("The document's details were saved.")):
        return redirect(_meeting_url("documents", meeting))
    context = {
        "dialogue": dialogue,
        "meeting": meeting,
        "tab": "documents",
        "form": form,
        "document": document,
    }
    return _render(request, "meetings/workspace/document_edit.html", context)


def _documents(meeting: Meeting) -> list[MeetingDocument]:
    return list(
        MeetingDocument.objects.filter(meeting=meeting)
        .select_related("session")
        .prefetch_related(Prefetch("files", queryset=MeetingFile.objects.order_by("language")))
        .order_by("order", "pk")
    )


@_refusals_as_404
@require_POST
def document_upload(request: HttpRequest, slug: str, pk: int, document_pk: int) -> HttpResponse:
    dialogue, meeting = _meeting(request, slug, pk)
    document = get_object_or_404(MeetingDocument, pk=document_pk, meeting=meeting)
    file_form = FileForm(request.POST, request.FILES)

    def save() -> None:
        services.attach_meeting_file(
            actor=request.user,
            document=document,
            language=file_form.cleaned_data["language"],
            upload=file_form.cleaned_data["file"],
        )

    if _save_form(request, file_form, save, _("The file was uploaded.")):
        return redirect(_meeting_url("documents", meeting))
    context = {
        "dialogue": dialogue,
        "meeting": meeting,
        "tab": "documents",
        "form": DocumentForm(meeting=meeting, instance=MeetingDocument(meeting=meeting)),
        "documents": _documents(meeting),
        "file_form": FileForm(),
        "failed_document": document.pk,
        "failed_form": file_form,
    }
    return _render(request, "meetings/workspace/documents.html", context)


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def minutes(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue, meeting = _meeting(request, slug, pk)
    record = MeetingMinutes.objects.filter(meeting=meeting).first()
    revisions = (
        list(record.revisions.select_related("author").order_by("-number")) if record else []
    )
    initial = {"text": revisions[0].text} if revisions else {}
    form = MinutesForm(request.POST or None, initial=initial)

    def save() -> None:
        services.save_minutes(
            actor=request.user,
            meeting=meeting,
            text=form.cleaned_data["text"],
            note=form.cleaned_data["note"],
        )

    if _save_form(request, form, save, _("The minutes were saved as a new revision.")):
        return redirect(_meeting_url("minutes", meeting))
    context = {
        "dialogue": dialogue,
        "meeting": meeting,
        "tab": "minutes",
        "form": form,
        "revisions": revisions,
    }
    return _render(request, "meetings/workspace/minutes.html", context)


# Registrations, credentials, exports -------------------------------------------------------


@_refusals_as_404
def registrations(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue, meeting = _meeting(request, slug, pk)
    regs = list(
        Registration.objects.filter(meeting=meeting)
        .select_related("person", "country", "organisation")
        .order_by("waiting_position", "created_at", "pk")
    )
    groups = []
    for value, label in Status.choices:
        rows = [r for r in regs if r.status == value]
        if rows:
            groups.append({"status": value, "label": label, "rows": rows})
    credentials = list(
        Credentials.objects.filter(meeting=meeting).select_related("country", "submitted_by")
    )
    context = {
        "dialogue": dialogue,
        "meeting": meeting,
        "tab": "registrations",
        "seats": services.seats_summary(meeting),
        "statistics": services.meeting_statistics(meeting),
        "groups": groups,
        "credentials": credentials,
        "started": meeting.start <= timezone.now(),
        "reject_form": RejectForm(),
    }
    return _render(request, "meetings/workspace/registrations.html", context)


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def registration_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The secretariat registers a state's or an organisation's delegate, or an expert."""
    dialogue, meeting = _meeting(request, slug, pk)
    countries = sorted(
        Participation.objects.filter(dialogue=dialogue, country__isnull=False).values_list(
            "country_id", flat=True
        )
    )
    form = AddRegistrationForm(request.POST or None, countries=countries)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                person = form.cleaned_data["person"] or people_services.save_person(
                    actor=request.user, **form.new_person_fields()
                )
                reg = services.add_registration(
                    actor=request.user,
                    meeting=meeting,
                    person=person,
                    country=form.cleaned_data["country"],
                    organisation=form.cleaned_data["organisation"],
                    **form.registration_fields(),
                )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("%(person)s was registered: %(status)s.")
                % {"person": reg.person, "status": reg.get_status_display()},
            )
            return redirect(_meeting_url("registrations", meeting))
    context = {"dialogue": dialogue, "meeting": meeting, "tab": "registrations", "form": form}
    return _render(request, "meetings/workspace/registration_add.html", context)


REGISTRATION_ACTIONS: dict[str, Callable[..., Registration]] = {
    "approve": lambda actor, reg, form: services.approve_registration(
        actor=actor, registration=reg
    ),
    "reject": lambda actor, reg, form: services.reject_registration(
        actor=actor, registration=reg, reason=form.cleaned_data["reason"]
    ),
    "promote": lambda actor, reg, form: services.promote_registration(
        actor=actor, registration=reg
    ),
    "withdraw": lambda actor, reg, form: services.withdraw_registration(
        actor=actor, registration=reg
    ),
    "attended": lambda actor, reg, form: services.record_attendance(
        actor=actor, registration=reg, attended=True
    ),
    "no_show": lambda actor, reg, form: services.record_attendance(
        actor=actor, registration=reg, attended=False
    ),
}


@_refusals_as_404
@require_POST
def registration_action(
    request: HttpRequest, slug: str, pk: int, registration_pk: int, action: str
) -> HttpResponse:
    meeting = _meeting(request, slug, pk)[1]
    if action not in REGISTRATION_ACTIONS:
        raise Http404
    reg = get_object_or_404(
        Registration.objects.select_related("person", "meeting"),
        pk=registration_pk,
        meeting=meeting,
    )
    form = RejectForm(request.POST) if action == "reject" else None
    if form is not None and not form.is_valid():
        messages.error(request, _("Give the reason for rejecting the registration."))
        return redirect(_meeting_url("registrations", meeting))
    try:
        reg = REGISTRATION_ACTIONS[action](request.user, reg, form)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(
            request,
            _("%(person)s: %(status)s.")
            % {"person": reg.person, "status": reg.get_status_display()},
        )
    return redirect(_meeting_url("registrations", meeting))


@_refusals_as_404
@require_POST
def credentials_decide(
    request: HttpRequest, slug: str, pk: int, credentials_pk: int
) -> HttpResponse:
    meeting = _meeting(request, slug, pk)[1]
    record = get_object_or_404(Credentials, pk=credentials_pk, meeting=meeting)
    form = CredentialsDecisionForm(request.POST)
    form.is_valid()
    try:
        services.decide_credentials(
            actor=request.user,
            credentials=record,
            accredit=bool(form.cleaned_data.get("accredit")),
            note=form.cleaned_data.get("note", ""),
        )
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("The decision on the credentials was saved."))
    return redirect(_meeting_url("registrations", meeting))


@_refusals_as_404
def credentials_file(request: HttpRequest, slug: str, pk: int, credentials_pk: int) -> FileResponse:
    meeting = _meeting(request, slug, pk)[1]
    record = get_object_or_404(Credentials, pk=credentials_pk, meeting=meeting)
    return FileResponse(
        record.file.open("rb"),
        as_attachment=True,
        filename=record.original_name,
        content_type=record.content_type,
    )


def _download(content: str | bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@_refusals_as_404
def export_csv(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = _meeting(request, slug, pk)[1]
    text = services.export_registrations_csv(viewer=request.user, meeting=meeting)
    return _download(
        text.encode("utf-8"), f"registrations-{meeting.pk}.csv", "text/csv; charset=utf-8"
    )


@_refusals_as_404
def export_xlsx(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = _meeting(request, slug, pk)[1]
    data = services.export_registrations_xlsx(viewer=request.user, meeting=meeting)
    return _download(
        data,
        f"registrations-{meeting.pk}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# Changes of schedule -------------------------------------------------------------------------


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def schedule_change(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue, meeting = _meeting(request, slug, pk)
    form = ScheduleChangeForm(request.POST or None, meeting=meeting)
    decisions: list[ScheduleDecision] = []

    def save() -> None:
        data = form.cleaned_data
        decisions.append(
            services.change_meeting_schedule(
                actor=request.user,
                meeting=meeting,
                action=data["action"],
                reason=data["reason"],
                start=data["start"] if data["action"] == ScheduleAction.RESCHEDULE else None,
                end=data["end"] if data["action"] == ScheduleAction.RESCHEDULE else None,
                online_url=data.get("online_url") or "",
            )
        )

    if _save_form(request, form, save, _("The change of schedule was decided.")):
        return redirect("meetings_workspace:decision", slug=dialogue.slug, pk=decisions[0].pk)
    context = {
        "dialogue": dialogue,
        "meeting": meeting,
        "tab": "schedule",
        "form": form,
        "history": services.schedule_history(meeting),
    }
    return _render(request, "meetings/workspace/schedule_one.html", context)


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def schedule_mass(request: HttpRequest, slug: str) -> HttpResponse:
    """Step 1 (POST without ``confirm``): preview; step 2 (``confirm``): decide."""
    dialogue = _dialogue(request, slug)
    form = MassScheduleForm(request.POST or None, initial={"start_from": timezone.localdate()})
    preview: list[Meeting] | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        start_from, start_before = form.bounds()
        chosen = services.select_meetings_for_change(
            dialogue=dialogue,
            start_from=start_from,
            start_before=start_before,
            formats=data["formats"],
            statuses=data["statuses"],
        )
        if data["action"] == ScheduleAction.MOVE_ONLINE:
            chosen = chosen.exclude(format=Meeting.Format.ONLINE)
        preview = list(
            chosen.select_related("country").annotate(
                registrants=Count(
                    "registrations",
                    filter=Q(registrations__status__in=Registration.ACTIVE_STATUSES),
                )
            )
        )
        previewed = sorted(int(v) for v in request.POST.getlist("previewed") if v.isdecimal())
        if not preview:
            form.add_error(None, _("No meeting matches this choice."))
        elif "confirm" in request.POST:
            if previewed != sorted(m.pk for m in preview):
                messages.warning(
                    request,
                    _(
                        "The meetings matching this choice changed since the preview: check them again."
                    ),
                )
            else:
                try:
                    decision = services.reschedule_meetings(
                        actor=request.user,
                        dialogue=dialogue,
                        action=data["action"],
                        reason=data["reason"],
                        start_from=start_from,
                        start_before=start_before,
                        formats=data["formats"],
                        statuses=data["statuses"],
                        shift=(
                            datetime.timedelta(days=data["shift_days"])
                            if data["action"] == ScheduleAction.RESCHEDULE
                            else None
                        ),
                        online_url=data.get("online_url") or "",
                    )
                except ValidationError as error:
                    attach_errors(form, error)
                else:
                    messages.success(request, _("The change of schedule was decided."))
                    return redirect(
                        "meetings_workspace:decision", slug=dialogue.slug, pk=decision.pk
                    )
    context = {
        "dialogue": dialogue,
        "form": form,
        "preview": preview,
        "tab": "schedule",
    }
    return _render(request, "meetings/workspace/schedule_mass.html", context)


@_refusals_as_404
def decision(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    record = get_object_or_404(
        ScheduleDecision.objects.select_related("actor"), pk=pk, dialogue=dialogue
    )
    changes = list(record.changes.select_related("meeting").order_by("old_start", "pk"))
    queued = Notification.objects.filter(key__startswith=f"schedule:{record.pk}:").count()
    context = {
        "dialogue": dialogue,
        "decision": record,
        "changes": changes,
        "queued": queued,
        "announcement": [(code, record.announcement.get(code, "")) for code in dialogue.languages],
        "reasons": [(code, record.reason.get(code, "")) for code in dialogue.languages],
    }
    return _render(request, "meetings/workspace/decision.html", context)

"""Member pages of the library, under /<lang>/account/library/: contributors and focal points
draft their state's good practices, attach files, see the secretariat's comments; focal
points submit practices and endorse (or ask to change) their state's country profile.

Writes go through ``library.services``. Something the user may not read answers 404; a
write the services refuse (``PermissionDenied``) answers 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dialogos.core import access
from dialogos.core.models import Country
from dialogos.dialogues.models import Dialogue
from dialogos.library import services
from dialogos.library.forms import (
    CommentForm,
    FileForm,
    NewPracticeForm,
    PracticeForm,
    attach_errors,
    model_fields,
)
from dialogos.library.models import (
    CountryProfile,
    LibraryFile,
    Practice,
    PracticeEvent,
    ProfileEvent,
    ProfileStatus,
)

NAV = {"nav_section": "account"}
STATE_ROLES = (access.CONTRIBUTOR, access.FOCAL_POINT)


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {**NAV, **context})


def _state_grants(user: Any, roles: tuple[str, ...] = STATE_ROLES) -> set[tuple[int, str]]:
    """(dialogue id, country code) pairs the user acts for in one of ``roles``."""
    who = access.principal(user)
    return {(d, c) for d, role, c in who.grants if role in roles and c}


def _of_grants(grants: set[tuple[int, str]]) -> Q:
    q = Q(pk__in=[])
    for dialogue_id, code in grants:
        q |= Q(dialogue_id=dialogue_id, country_id=code)
    return q


def _practice(request: HttpRequest, pk: int) -> Practice:
    """A practice of the user's state (or dialogue, for its secretariat); 404 otherwise."""
    try:
        practice = (
            Practice.objects.select_related("dialogue", "country", "call")
            .prefetch_related(
                "topics",
                "countries",
                Prefetch("files", queryset=LibraryFile.objects.filter(is_current=True)),
                Prefetch("events", queryset=PracticeEvent.objects.select_related("actor")),
            )
            .get(pk=pk)
        )
    except Practice.DoesNotExist:
        raise Http404 from None
    if not services.can_work_on_practice(request.user, practice):
        raise Http404
    return practice


def _forbidden_as_403(error: PermissionDenied) -> HttpResponse:
    return HttpResponse(str(error) or _("You may not do this."), status=403)


@login_required
def practice_list(request: HttpRequest) -> HttpResponse:
    grants = _state_grants(request.user)
    practices = (
        Practice.objects.filter(_of_grants(grants))
        .select_related("dialogue", "country", "call")
        .order_by("-updated_at", "-pk")
    )
    dialogue_ids = {d for d, _c in grants}
    focal = _state_grants(request.user, (access.FOCAL_POINT,))
    profiles = CountryProfile.objects.filter(_of_grants(focal), submitted_at__isnull=False)
    context = {
        "practices": list(practices),
        "dialogues": list(Dialogue.objects.filter(pk__in=dialogue_ids).order_by("order", "slug")),
        "profiles": list(profiles.select_related("country", "dialogue")),
        "is_focal_point": bool(focal),
        "has_roles": bool(grants),
    }
    return _render(request, "library/member/practices.html", context)


def _drafting_states(user: Any, dialogue: Dialogue) -> list[Country]:
    codes = services.drafting_states(user, dialogue.pk)
    return sorted(Country.objects.filter(code__in=codes), key=lambda c: str(c.name).casefold())


@login_required
def practice_create(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = Dialogue.objects.filter(slug=slug).first()
    if dialogue is None:
        raise Http404
    states = _drafting_states(request.user, dialogue)
    if not states:
        raise Http404
    form = NewPracticeForm(
        request.POST or None,
        instance=Practice(dialogue=dialogue, country=states[0]),
        dialogue=dialogue,
        states=states,
    )
    if request.method == "POST" and form.is_valid():
        fields = model_fields(form)
        country = next(c for c in states if c.code == form.cleaned_data["state"])
        try:
            practice = services.create_practice(
                actor=request.user, dialogue=dialogue, country=country, **fields
            )
        except ValidationError as error:
            attach_errors(form, error)
        except PermissionDenied as error:
            return _forbidden_as_403(error)
        else:
            messages.success(request, _("The draft is saved. Attach files, or submit it."))
            return redirect(reverse("library_member:practice", args=[practice.pk]))
    context = {"form": form, "dialogue": dialogue, "practice": None}
    return _render(request, "library/member/practice_edit.html", context)


@login_required
def practice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _practice(request, pk)
    if not practice.is_editable():
        messages.error(request, _("This practice is in review or published; it cannot change now."))
        return redirect(reverse("library_member:practice", args=[practice.pk]))
    form = PracticeForm(request.POST or None, instance=practice, dialogue=practice.dialogue)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_practice(actor=request.user, practice=practice, **model_fields(form))
        except ValidationError as error:
            attach_errors(form, error)
        except PermissionDenied as error:
            return _forbidden_as_403(error)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect(reverse("library_member:practice", args=[practice.pk]))
    context = {"form": form, "dialogue": practice.dialogue, "practice": practice}
    return _render(request, "library/member/practice_edit.html", context)


@login_required
def practice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _practice(request, pk)
    file_form = FileForm(request.POST or None, request.FILES or None, dialogue=practice.dialogue)
    if request.method == "POST" and file_form.is_valid():
        try:
            services.attach_file(
                actor=request.user,
                owner=practice,
                language=file_form.cleaned_data["language"],
                upload=file_form.cleaned_data["file"],
            )
        except ValidationError as error:
            attach_errors(file_form, error)
        except PermissionDenied as error:
            return _forbidden_as_403(error)
        else:
            messages.success(request, _("The file is stored."))
            return redirect(reverse("library_member:practice", args=[practice.pk]))
    who = access.principal(request.user)
    is_focal = practice.country_id in who.countries(practice.dialogue_id, access.FOCAL_POINT)
    context = {
        "practice": practice,
        "files": sorted(practice.files.all(), key=lambda f: f.language),
        "events": list(practice.events.all()),
        "file_form": file_form if practice.is_editable() else None,
        "may_submit": is_focal and practice.is_editable(),
    }
    return _render(request, "library/member/practice.html", context)


@login_required
@require_POST
def practice_submit(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _practice(request, pk)
    try:
        services.submit_practice(actor=request.user, practice=practice)
    except PermissionDenied as error:
        return _forbidden_as_403(error)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("The practice is submitted to the secretariat for review."))
    return redirect(reverse("library_member:practice", args=[practice.pk]))


@login_required
def practice_delete(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _practice(request, pk)
    if request.method == "POST":
        try:
            services.delete_practice(actor=request.user, practice=practice)
        except PermissionDenied as error:
            return _forbidden_as_403(error)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
            return redirect(reverse("library_member:practice", args=[practice.pk]))
        messages.success(request, _("The draft is deleted."))
        return redirect(reverse("library_member:practices"))
    return _render(request, "library/member/practice_delete.html", {"practice": practice})


@login_required
@require_POST
def file_remove(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    practice = _practice(request, pk)
    record = LibraryFile.objects.filter(pk=file_pk, practice=practice).first()
    if record is None:
        raise Http404
    try:
        services.remove_file(actor=request.user, record=record)
    except PermissionDenied as error:
        return _forbidden_as_403(error)
    messages.success(request, _("The file is removed."))
    return redirect(reverse("library_member:practice", args=[practice.pk]))


# Country profiles -------------------------------------------------------------------------------


def _profile(request: HttpRequest, pk: int) -> CountryProfile:
    try:
        profile = (
            CountryProfile.objects.select_related("dialogue", "country")
            .prefetch_related(
                Prefetch("files", queryset=LibraryFile.objects.filter(is_current=True)),
                Prefetch("events", queryset=ProfileEvent.objects.select_related("actor")),
            )
            .get(pk=pk)
        )
    except CountryProfile.DoesNotExist:
        raise Http404 from None
    if not services.can_work_on_profile(request.user, profile):
        raise Http404
    return profile


@login_required
def profile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _profile(request, pk)
    form = CommentForm(request.POST or None)
    who = access.principal(request.user)
    is_focal = profile.country_id in who.countries(profile.dialogue_id, access.FOCAL_POINT)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        try:
            if action == "endorse":
                services.endorse_profile(
                    actor=request.user, profile=profile, comment=form.cleaned_data["comment"]
                )
                messages.success(request, _("The profile is endorsed and published."))
                return redirect(reverse("library_member:profile", args=[profile.pk]))
            if action == "changes":
                services.request_profile_changes(
                    actor=request.user, profile=profile, comment=form.cleaned_data["comment"]
                )
                messages.success(request, _("Your request for changes is sent to the secretariat."))
                return redirect(reverse("library_member:profile", args=[profile.pk]))
        except PermissionDenied as error:
            return _forbidden_as_403(error)
        except ValidationError as error:
            attach_errors(form, error)
    context = {
        "profile": profile,
        "files": sorted(profile.files.all(), key=lambda f: f.language),
        "events": list(profile.events.all()),
        "form": form,
        "may_answer": is_focal and profile.status == ProfileStatus.SUBMITTED,
    }
    return _render(request, "library/member/profile.html", context)

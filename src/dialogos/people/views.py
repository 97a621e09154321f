"""Sign-in, the member area and invitations."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from dialogos.core.forms import attach_errors, model_fields
from dialogos.people import services
from dialogos.people.forms import AcceptInvitationForm, PersonForm, SignInForm
from dialogos.people.models import Person, Role, User

BACKEND = "dialogos.people.auth.EmailBackend"
ACCOUNT_NAV = {"nav_section": "account"}


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request, data=request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            assert form.user is not None
            login(request, form.user, backend=BACKEND)
            return HttpResponseRedirect(
                _safe_next(request) or resolve_url(settings.LOGIN_REDIRECT_URL)
            )
        if form.blocked:
            status = 429
    context = {"form": form, "next": _safe_next(request) or "", "nav_section": "account"}
    return render(request, "people/login.html", context, status=status)


class SignOutView(auth_views.LogoutView):
    """POST only (Django refuses GET), then back to the home page."""


@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    roles = (
        Role.objects.active()
        .filter(user=user)
        .select_related("dialogue", "country", "organisation")
        .order_by("dialogue__order", "dialogue__slug", "role")
    )
    person = Person.objects.select_related("country", "organisation").filter(user=user).first()
    form = None
    if person is not None:
        form = PersonForm(request.POST or None, instance=person)
        if request.method == "POST" and form.is_valid():
            try:
                services.save_person(actor=user, person=person, **model_fields(form))
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Your details were saved."))
                return redirect("people:account")
    elif request.method == "POST":
        return redirect("people:account")
    context = {"roles": roles, "person": person, "form": form, "nav_section": "account"}
    return render(request, "people/account.html", context)


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    extra_context = ACCOUNT_NAV
    template_name = "people/password_change.html"
    success_url = reverse_lazy("people:account")
    success_message = gettext_lazy("Your password was changed.")


class PasswordResetView(auth_views.PasswordResetView):
    extra_context = ACCOUNT_NAV
    template_name = "people/password_reset.html"
    email_template_name = "people/email/password_reset.txt"
    subject_template_name = "people/email/password_reset_subject.txt"
    success_url = reverse_lazy("people:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    extra_context = ACCOUNT_NAV
    template_name = "people/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    extra_context = ACCOUNT_NAV
    template_name = "people/password_reset_confirm.html"
    success_url = reverse_lazy("people:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    extra_context = ACCOUNT_NAV
    template_name = "people/password_reset_complete.html"


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Open an invitation: make an account, or add the role to the signed-in one."""
    invitation = services.find_invitation(token)
    if invitation is None:
        return render(request, "people/invitation_invalid.html", status=404)
    user = request.user if request.user.is_authenticated else None
    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    form = None
    error = ""
    if isinstance(user, User):
        if user.email.lower() == invitation.email.lower() and request.method == "POST":
            try:
                services.accept_invitation(token=token, user=user)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, _("The invitation is accepted: your role is active."))
                return redirect("people:account")
    elif not has_account:
        form = AcceptInvitationForm(invitation, request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                user = services.accept_invitation(
                    token=token,
                    password=form.cleaned_data["password1"],
                    display_name=form.cleaned_data["display_name"],
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                login(request, user, backend=BACKEND)
                messages.success(request, _("Welcome. Your account is ready and your role active."))
                return redirect("people:account")
    context = {
        "nav_section": "account",
        "invitation": invitation,
        "form": form,
        "error": error,
        "has_account": has_account,
        "signed_in_as_invited": isinstance(user, User)
        and user.email.lower() == invitation.email.lower(),
        "login_url": f"{reverse('people:login')}?{urlencode({'next': request.path})}",
    }
    return render(request, "people/invitation.html", context)

"""Forms of the member area: sign-in, the person record, accepting an invitation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dialogos.core.forms import CountryChoiceField
from dialogos.people import services
from dialogos.people.models import Invitation, Person, User


def client_address(request: HttpRequest) -> str:
    """The address the request came from, as the throttle counts it.

    Only ``REMOTE_ADDR``: a forwarded header is set by the client and cannot be trusted
    unless a proxy in front of us rewrites it.
    """
    return str(request.META.get("REMOTE_ADDR") or "unknown")


class SignInForm(forms.Form):
    """E-mail and password, checked through the throttle before the password is."""

    email = forms.EmailField(
        label=_("e-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: User | None = None
        self.blocked = False
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email = data.get("email")
        password = data.get("password")
        if not email or password is None:
            return data
        client = client_address(self.request)
        if services.sign_in_blocked(email=email, client=client):
            self.blocked = True
            raise ValidationError(
                _(
                    "Too many failed attempts to sign in. For your safety, signing in is paused "
                    "for a while: try again later, or reset your password."
                ),
                code="blocked",
            )
        user = authenticate(self.request, username=email, password=password)
        if user is None:
            services.record_sign_in_failure(email=email, client=client)
            raise ValidationError(
                _("This e-mail address and password do not match an account."), code="invalid"
            )
        services.clear_sign_in_failures(email=email)
        assert isinstance(user, User)
        self.user = user
        return data


class PersonForm(forms.ModelForm[Person]):
    country = CountryChoiceField(required=False, label=_("country"))

    class Meta:
        model = Person
        fields = [
            "title",
            "given_name",
            "family_name",
            "native_name",
            "position",
            "level",
            "gender",
            "country",
        ]


class AcceptInvitationForm(forms.Form):
    """A new account for the invited address: a name and a password, typed twice."""

    display_name = forms.CharField(
        label=_("your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, invitation: Invitation, *args: Any, **kwargs: Any) -> None:
        self.invitation = invitation
        kwargs.setdefault("initial", {"display_name": invitation.display_name})
        super().__init__(*args, **kwargs)

    def clean_password2(self) -> str:
        first = self.cleaned_data.get("password1")
        second: str = self.cleaned_data.get("password2", "")
        if first and second and first != second:
            raise ValidationError(_("The two passwords differ."), code="password_mismatch")
        return second

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The service validates too; here the messages can stand beside the password field.
        password = data.get("password1")
        if password:
            probe = User(
                email=self.invitation.email,
                display_name=self.cleaned_data.get("display_name", ""),
            )
            try:
                password_validation.validate_password(password, probe)
            except ValidationError as error:
                self.add_error("password1", error)
        return data

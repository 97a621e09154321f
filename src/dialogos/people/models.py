from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogos.core import access
from dialogos.core.models import Country


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=(username or "").strip())


class User(AbstractBaseUser, PermissionsMixin):
    """An account. People sign in with their e-mail address."""

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        default="en",
        choices=[("en", "English"), ("ru", "Русский")],
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the admin"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["email"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return self.display_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()

    def get_full_name(self) -> str:
        return str(self)

    def get_short_name(self) -> str:
        return str(self)


class Person(models.Model):
    """Someone who takes part in dialogues, with or without an account."""

    class Level(models.TextChoices):
        MINISTER = "minister", _("Minister")
        SENIOR_OFFICIAL = "senior_official", _("Senior official")
        EXPERT = "expert", _("Expert")
        PRACTITIONER = "practitioner", _("Practitioner")

    class Gender(models.TextChoices):
        FEMALE = "female", _("Woman")
        MALE = "male", _("Man")
        OTHER = "other", _("Another gender")
        UNSPECIFIED = "", _("Not stated")

    user = models.OneToOneField(
        User,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    title = models.CharField(_("title"), max_length=40, blank=True)
    given_name = models.CharField(_("given name (Latin script)"), max_length=100)
    family_name = models.CharField(_("family name (Latin script)"), max_length=100)
    native_name = models.CharField(_("full name in native script"), max_length=200, blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "dialogues.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    institution = models.CharField(
        _("institution"),
        max_length=200,
        blank=True,
        help_text=_("Ministry or agency, where no organisation record fits."),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    is_example = models.BooleanField(
        _("example data"),
        default=False,
        help_text=_("Illustrative record created for a demonstration, not a real person."),
    )

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in [self.title, self.given_name, self.family_name] if p)


class RoleQuerySet(models.QuerySet["Role"]):
    def active(self) -> RoleQuerySet:
        return self.filter(revoked_at__isnull=True)


class Role(models.Model):
    """A right a secretariat grants to an account within one dialogue."""

    class Kind(models.TextChoices):
        SECRETARIAT = access.SECRETARIAT, _("Secretariat")
        FOCAL_POINT = access.FOCAL_POINT, _("Focal point")
        CONTRIBUTOR = access.CONTRIBUTOR, _("Contributor")
        DELEGATE = access.DELEGATE, _("Delegate")

    STATE_ROLES = {Kind.FOCAL_POINT, Kind.CONTRIBUTOR}

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="dialogue_roles")
    dialogue = models.ForeignKey(
        "dialogues.Dialogue",
        verbose_name=_("dialogue"),
        on_delete=models.CASCADE,
        related_name="roles",
    )
    role = models.CharField(_("role"), max_length=20, choices=Kind.choices)
    country = models.ForeignKey(
        Country,
        verbose_name=_("on behalf of state"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_grants",
    )
    organisation = models.ForeignKey(
        "dialogues.Organisation",
        verbose_name=_("on behalf of organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_grants",
    )
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = RoleQuerySet.as_manager()

    class Meta:
        ordering = ["dialogue", "role", "country", "user"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dialogue", "role", "country"],
                condition=Q(revoked_at__isnull=True),
                name="role_unique_active",
            ),
        ]

    def __str__(self) -> str:
        where = f" ({self.country})" if self.country_id else ""
        return f"{self.get_role_display()}{where} — {self.dialogue}"

    def clean(self) -> None:
        if self.role in self.STATE_ROLES and not self.country_id:
            raise ValidationError(
                {"country": _("A focal point or contributor acts for a state: choose it.")}
            )
        if self.role == self.Kind.SECRETARIAT and self.country_id:
            raise ValidationError({"country": _("The secretariat does not act for a state.")})
        if not (self.user_id and self.dialogue_id):
            return
        clash = (
            Role.objects.active()
            .filter(
                user_id=self.user_id,
                dialogue_id=self.dialogue_id,
                role=self.role,
                country_id=self.country_id,
            )
            .exclude(pk=self.pk)
        )
        if self.revoked_at is None and clash.exists():
            raise ValidationError(_("This account already has this role."))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """A single-use, expiring link by which the secretariat brings someone in with a role."""

    email = models.EmailField(_("e-mail address"))
    dialogue = models.ForeignKey(
        "dialogues.Dialogue",
        verbose_name=_("dialogue"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.Kind.choices)
    country = models.ForeignKey(
        Country,
        verbose_name=_("on behalf of state"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    display_name = models.CharField(_("name"), max_length=200, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8, default="en")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} — {self.get_role_display()}"

    def is_usable(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.expires_at > now

    @property
    def status(self) -> str:
        if self.accepted_at:
            return str(_("accepted"))
        if self.expires_at <= timezone.now():
            return str(_("expired"))
        return str(_("waiting"))


class LoginFailure(models.Model):
    """A failed sign-in, kept for a short while to throttle guessing."""

    key = models.CharField(max_length=200, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")

    def __str__(self) -> str:
        return f"{self.key} {self.at:%Y-%m-%d %H:%M}"

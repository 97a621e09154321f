"""``dialogos create_api_token --email alice@example.org --name "reporting script"``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dialogos.api.services import create_api_token
from dialogos.people.models import User


class Command(BaseCommand):
    help = "Create an API token for an account and print it (it is shown only this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="The account's e-mail address.")
        parser.add_argument("--name", required=True, help="What the token is for.")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip()
        name = options["name"].strip()
        if not name:
            raise CommandError("Give the token a name (--name).")
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account with the e-mail address {email!r}.")
        if not user.is_active:
            raise CommandError(f"The account {email!r} is not active.")
        _token, plain = create_api_token(actor=None, user=user, name=name)
        self.stdout.write(plain)

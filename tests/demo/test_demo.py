from __future__ import annotations

from io import StringIO
from typing import Any

from django.core.management import call_command

from dialogos.core.models import AuditEntry
from dialogos.dialogues.models import Body, Dialogue, GroupingMembership, Office, Participation
from dialogos.people.models import Role, User


def counts() -> dict[str, int]:
    models = [Dialogue, Participation, Body, Office, GroupingMembership, User, Role, AuditEntry]
    return {m.__name__: m.objects.count() for m in models}


def test_the_demo_loads_the_seed_facts_and_a_second_run_changes_nothing(db: Any) -> None:
    out = StringIO()
    call_command("demo", stdout=out)
    assert "secretariat@dialogos.example" in out.getvalue()
    first = counts()
    call_command("demo", stdout=StringIO())
    assert counts() == first

    pp = Dialogue.objects.get(slug="prague-process")
    states = set(pp.participations.states().values_list("country_id", flat=True))
    assert {"CZ", "LT", "TR", "KZ", "UA", "XK", "IS"} <= states
    assert "GB" not in states  # left the EU on 31 January 2020
    chair = Office.objects.get(dialogue=pp, body__slug="strategic-group", country_id="LT")
    assert chair.start.year == 2020

    bp = Dialogue.objects.get(slug="budapest-process")
    current = {o.kind: o.holder for o in Office.objects.filter(dialogue=bp).current()}
    assert str(current["chair"]) == "Türkiye"
    assert str(current["co_chair"]) == "Hungary"
    assert str(current["secretariat"]) == "ICMPD"


def test_every_demo_account_can_sign_in(db: Any) -> None:
    from django.contrib.auth import authenticate

    from dialogos.demo.data import DEMO_ACCOUNTS, DEMO_PASSWORD

    call_command("demo", stdout=StringIO())
    for email, *_rest in DEMO_ACCOUNTS:
        assert authenticate(username=email, password=DEMO_PASSWORD) is not None, email

"""CPR numbers: validation with Danish messages, encryption at rest, lookup by keyed hash."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from traad.cases.cpr import birth_date, cpr_hash, format_cpr, mask_cpr, normalise_cpr
from traad.cases.models import Person, PersonRole, Relation
from traad.cases.services import add_person_to_case, find_person_by_cpr
from traad.factories import CaseFactory


@pytest.mark.parametrize(
    ("raw", "digits"),
    [("0101901234", "0101901234"), ("010190-1234", "0101901234"), (" 010190 1234 ", "0101901234")],
)
def test_valid_cpr_is_normalised(raw, digits):
    assert normalise_cpr(raw) == digits


@pytest.mark.parametrize("raw", ["123", "01019012345", "0101901a34", "", "010190-123"])
def test_wrong_length_or_letters(raw):
    with pytest.raises(ValidationError) as error:
        normalise_cpr(raw)
    assert error.value.code == "cpr_length"
    assert "ti cifre" in str(error.value.messages[0])


@pytest.mark.parametrize("raw", ["3102901234", "0013901234", "3204901234", "2902011234"])
def test_not_a_real_date(raw):
    with pytest.raises(ValidationError) as error:
        normalise_cpr(raw)
    assert error.value.code == "cpr_date"
    assert "rigtig dato" in str(error.value.messages[0])


@pytest.mark.parametrize(
    ("digits", "born"),
    [
        ("0101901234", dt.date(1990, 1, 1)),  # 7th digit 1: 1900s
        ("2902004321", dt.date(2000, 2, 29)),  # 7th digit 4, yy 00: 2000s
        ("0101404321", dt.date(1940, 1, 1)),  # 7th digit 4, yy 40: 1900s
        ("0101105321", dt.date(2010, 1, 1)),  # 7th digit 5, yy 10: 2000s
        ("0101705321", dt.date(1870, 1, 1)),  # 7th digit 5, yy 70: 1800s
        ("0101209321", dt.date(2020, 1, 1)),  # 7th digit 9, yy 20: 2000s
    ],
)
def test_century_rules(digits, born):
    assert birth_date(digits) == born


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2036, 12, 31)))
def test_every_real_date_gives_a_valid_number(day):
    seventh = "4" if day.year >= 2000 else "1"
    digits = f"{day:%d%m%y}{seventh}234"
    assert normalise_cpr(digits) == digits
    assert birth_date(digits) == day


def test_mask_and_format():
    assert mask_cpr("0101901234") == "010190-xxxx"
    assert format_cpr("0101901234") == "010190-1234"


@pytest.mark.django_db
def test_cpr_is_encrypted_at_rest_and_found_by_hash(world):
    case = CaseFactory(status="referral", team=None, municipality=world.case.municipality)
    membership, linked = add_person_to_case(
        case,
        by=world.intake,
        name="Emma Jensen",
        cpr="050316-4321",
        role=PersonRole.CHILD,
        relation=Relation.CHILD,
        school_or_daycare="Nørrebro Park Skole",
    )
    assert linked is False
    person = membership.person
    with connection.cursor() as cursor:
        cursor.execute("SELECT cpr, cpr_hash FROM cases_person WHERE id = %s", [person.pk])
        raw_cpr, raw_hash = cursor.fetchone()
    assert "0503164321" not in raw_cpr
    assert "050316" not in raw_cpr
    assert raw_hash == cpr_hash("0503164321")
    assert "0503164321" not in raw_hash
    assert Person.objects.get(pk=person.pk).cpr == "0503164321"
    assert person.masked_cpr == "050316-xxxx"
    assert person.birth_date == dt.date(2016, 3, 5)
    assert find_person_by_cpr("0503164321") == person
    assert find_person_by_cpr("050316-4321") == person
    assert find_person_by_cpr("0503164322") is None


@pytest.mark.django_db
def test_known_child_is_linked_not_duplicated(world):
    from traad.audit.models import AuditEvent

    first = CaseFactory(status="referral", team=None)
    second = CaseFactory(status="referral", team=None)
    kwargs = {"cpr": "0503164321", "role": PersonRole.CHILD, "relation": Relation.CHILD}
    one, linked_one = add_person_to_case(first, by=world.intake, name="Emma Jensen", **kwargs)
    two, linked_two = add_person_to_case(second, by=world.intake, name="Emma J.", **kwargs)
    assert (linked_one, linked_two) == (False, True)
    assert one.person == two.person
    assert Person.objects.count() == 1
    assert Person.objects.get().name == "Emma Jensen"
    linked = AuditEvent.objects.get(action="case.person_linked")
    assert (linked.case_id, linked.person_id) == (second.pk, one.person.pk)
    assert linked.changes["cpr"] == "***"
    with pytest.raises(ValidationError):
        add_person_to_case(first, by=world.intake, name="Emma", **kwargs)


@pytest.mark.django_db
def test_person_without_cpr_yet(world):
    case = CaseFactory(status="referral", team=None)
    membership, linked = add_person_to_case(
        case, by=world.intake, name="Far", cpr="", role=PersonRole.ADULT, relation=Relation.FATHER
    )
    assert membership.person.cpr == ""
    assert membership.person.cpr_hash is None
    assert membership.school_or_daycare == ""

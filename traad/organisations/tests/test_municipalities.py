import pytest

from traad.organisations.models import Municipality

pytestmark = pytest.mark.django_db


def test_all_98_municipalities_with_official_codes():
    assert Municipality.objects.count() == 98
    codes = dict(Municipality.objects.values_list("code", "name"))
    assert codes["101"] == "Københavns Kommune"
    assert codes["751"] == "Aarhus Kommune"
    assert codes["851"] == "Aalborg Kommune"
    assert codes["461"] == "Odense Kommune"
    assert codes["400"] == "Bornholms Regionskommune"
    assert codes["825"] == "Læsø Kommune"
    assert "411" not in codes  # Christiansø is not a municipality
    assert all(len(code) == 3 and code.isdigit() for code in codes)

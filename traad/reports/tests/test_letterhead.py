"""The letterhead settings: only administrators change them, the CVR number and the logo are
checked (the logo by its magic bytes and size), every change is audited without the logo's
bytes, and staff can fetch the logo for the preview."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from traad.audit.models import AuditEvent
from traad.reports.letterhead import LOGO_MAX_BYTES, logo_type_of, update_letterhead
from traad.reports.models import Letterhead

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
URL = "/indstillinger/brevhoved/"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db40000000049454e44ae426082"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
POST = {
    "name": "Familiehuset Nord ApS",
    "address": "Nørregade 1\n2100 København Ø",
    "phone": "+45 70 20 30 40",
    "email": "post@familiehuset.example",
    "cvr": "1234 5678",
    "footer": "Fortroligt",
}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def da(message: str) -> str:
    with translation.override("da"):
        return _(message)


def events():
    return list(AuditEvent.objects.filter(action="letterhead.updated").order_by("id"))


def test_the_url_is_the_danish_settings_path():
    assert reverse("reports:letterhead") == URL
    assert reverse("reports:letterhead_logo") == URL + "logo/"


def test_the_admin_sees_the_form_with_the_current_letterhead(world, client_for):
    Letterhead.objects.create(name="Familiehuset Nord ApS", cvr="12345678")

    response = client_for(world.admin).get(URL)

    assert response.status_code == 200
    form = response.context["form"]
    assert form["name"].value() == "Familiehuset Nord ApS"
    assert form["cvr"].value() == "12345678"
    assert "remove_logo" not in form.fields  # nothing to remove yet
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_the_admin_saves_the_letterhead_with_a_logo(world, client_for):
    logo = SimpleUploadedFile("logo.png", PNG, content_type="application/octet-stream")

    response = client_for(world.admin).post(URL, {**POST, "logo_file": logo})

    assert response.status_code == 302
    assert response["Location"] == URL
    letterhead = Letterhead.objects.get()
    assert (letterhead.name, letterhead.cvr, letterhead.address) == (
        "Familiehuset Nord ApS",
        "12345678",
        "Nørregade 1\n2100 København Ø",
    )
    assert bytes(letterhead.logo) == PNG
    assert letterhead.logo_type == "image/png"
    assert (letterhead.updated_by, letterhead.updated_at) == (world.admin, NOW)
    [event] = events()
    assert event.actor == world.admin
    assert event.changes["cvr"] == ["", "12345678"]
    assert event.changes["name"] == ["Tråd Familiebehandling", "Familiehuset Nord ApS"]
    assert event.changes["logo"] == "added"
    assert "89504e47" not in str(event.changes)


def test_saving_again_audits_only_what_changed(world):
    update_letterhead(by=world.admin, fields=POST, logo=PNG)

    update_letterhead(by=world.admin, fields={**POST, "phone": "70 00 00 00"})
    update_letterhead(by=world.admin, fields={**POST, "phone": "70 00 00 00"})

    first, second = events()
    assert second.changes == {"phone": ["+45 70 20 30 40", "70 00 00 00"]}
    assert Letterhead.objects.count() == 1
    assert bytes(Letterhead.objects.get().logo) == PNG  # kept when no new logo is uploaded


def test_the_logo_can_be_replaced_and_removed(world, client_for):
    update_letterhead(by=world.admin, fields=POST, logo=PNG)
    client = client_for(world.admin)

    client.post(URL, {**POST, "logo_file": SimpleUploadedFile("l.jpg", JPEG)})
    assert Letterhead.objects.get().logo_type == "image/jpeg"

    response = client.post(URL, {**POST, "remove_logo": "on"})

    assert response.status_code == 302
    letterhead = Letterhead.objects.get()
    assert (bytes(letterhead.logo), letterhead.logo_type) == (b"", "")
    assert [e.changes.get("logo") for e in events()] == ["added", "replaced", "removed"]


def test_a_bad_cvr_number_is_refused_with_the_form_kept(world, client_for):
    response = client_for(world.admin).post(URL, {**POST, "cvr": "1234567"})

    assert response.status_code == 400
    assert response.context["form"].errors["cvr"] == [da("A CVR number is 8 digits.")]
    assert response.context["form"]["name"].value() == "Familiehuset Nord ApS"
    assert not Letterhead.objects.exists()
    assert events() == []


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (b"%PDF-1.7 not an image", "The logo must be a PNG or JPEG image."),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "The logo must be a PNG or JPEG image."),
        (PNG + b"\x00" * LOGO_MAX_BYTES, "The logo may be at most 1 MB."),
    ],
)
def test_a_logo_that_is_not_a_small_png_or_jpeg_is_refused(world, client_for, upload, message):
    # The name and declared type say PNG: only the bytes count.
    logo = SimpleUploadedFile("logo.png", upload, content_type="image/png")

    response = client_for(world.admin).post(URL, {**POST, "logo_file": logo})

    assert response.status_code == 400
    assert response.context["form"].errors["logo_file"] == [da(message)]
    assert not Letterhead.objects.exists()
    assert events() == []


def test_the_form_speaks_danish(world, client_for):
    response = client_for(world.admin).get(URL)

    assert response.content.decode().count(da("CVR number")) >= 1
    assert '<html lang="da">' in response.content.decode()


@pytest.mark.parametrize(
    "persona",
    ["coordinator", "consultant", "leader", "intake", "caseworker", "other_leader"],
)
def test_only_administrators_may_open_or_change_the_settings(world, client_for, persona):
    client = client_for(getattr(world, persona))

    assert client.get(URL).status_code == 403
    assert client.post(URL, POST).status_code == 403
    assert not Letterhead.objects.exists()
    assert events() == []


def test_the_service_refuses_non_administrators_and_checks_its_input(world):
    with pytest.raises(PermissionDenied):
        update_letterhead(by=world.leader, fields={"name": "X"})
    with pytest.raises(ValidationError) as error:
        update_letterhead(by=world.admin, fields={"name": "", "cvr": "abc"}, logo=b"GIF89a")
    assert set(error.value.message_dict) == {"name", "cvr", "logo"}
    with pytest.raises(ValueError, match="Not letterhead fields"):
        update_letterhead(by=world.admin, fields={"logo_type": "text/html"})
    assert not Letterhead.objects.exists()
    assert events() == []


def test_logo_types_by_magic_bytes():
    assert logo_type_of(PNG) == "image/png"
    assert logo_type_of(JPEG) == "image/jpeg"
    assert logo_type_of(b"GIF89a") is None
    assert logo_type_of(b"") is None


# --- The logo --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["admin", "coordinator", "consultant", "leader", "intake"])
def test_staff_fetch_the_logo(world, client_for, persona):
    update_letterhead(by=world.admin, fields={}, logo=PNG)

    response = client_for(getattr(world, persona)).get(URL + "logo/")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == PNG


def test_the_logo_is_not_for_caseworkers_or_anonymous_visitors(world, client_for, client):
    update_letterhead(by=world.admin, fields={}, logo=PNG)

    assert client_for(world.caseworker).get(URL + "logo/").status_code == 403
    response = client.get(URL + "logo/")
    assert response.status_code == 302  # to the sign-in page
    assert PNG not in response.content


def test_no_logo_is_404(world, client_for):
    assert client_for(world.admin).get(URL + "logo/").status_code == 404

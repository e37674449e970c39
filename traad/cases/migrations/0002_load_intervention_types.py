"""The intervention types of Barnets lov a provider of family treatment is ordered to deliver."""

from django.db import migrations

TYPES = [
    # name, legal basis, family treatment, competences usually needed
    ("Familiebehandling", "Barnets lov § 32, stk. 1, nr. 5", True, ["Familieterapi", "Socialt arbejde"]),
    (
        "Intensiv familiebehandling",
        "Barnets lov § 32, stk. 1, nr. 5",
        True,
        ["Familieterapi", "Traumebehandling"],
    ),
    ("Støttet samvær", "Barnets lov § 104, stk. 3", False, ["Samværsstøtte"]),
    ("Overvåget samvær", "Barnets lov § 105", False, ["Samværsstøtte"]),
    ("Støtteperson til forældre", "Barnets lov § 75", False, ["Socialt arbejde"]),
]


def load(apps, schema_editor):
    InterventionType = apps.get_model("cases", "InterventionType")
    Competence = apps.get_model("organisations", "Competence")
    for position, (name, basis, family, competences) in enumerate(TYPES):
        kind, _ = InterventionType.objects.update_or_create(
            name=name,
            defaults={"legal_basis": basis, "is_family_treatment": family, "position": position},
        )
        kind.competences.set(Competence.objects.filter(name__in=competences))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("organisations", "0004_load_vocabularies"),
    ]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

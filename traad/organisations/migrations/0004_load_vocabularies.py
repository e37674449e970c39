"""Starting lists of languages and competences; administrators extend them."""

from django.db import migrations

LANGUAGES = [
    ("da", "Dansk"),
    ("en", "Engelsk"),
    ("ar", "Arabisk"),
    ("so", "Somali"),
    ("tr", "Tyrkisk"),
    ("pl", "Polsk"),
    ("ur", "Urdu"),
    ("ti", "Tigrinya"),
    ("uk", "Ukrainsk"),
    ("fa", "Persisk (farsi)"),
    ("prs", "Dari"),
    ("ps", "Pashto"),
    ("ku", "Kurdisk"),
    ("ru", "Russisk"),
    ("ro", "Rumænsk"),
    ("lt", "Litauisk"),
    ("de", "Tysk"),
    ("bs", "Bosnisk/kroatisk/serbisk"),
    ("vi", "Vietnamesisk"),
    ("ta", "Tamil"),
    ("kl", "Grønlandsk"),
    ("es", "Spansk"),
    ("fr", "Fransk"),
    ("th", "Thai"),
    ("tl", "Tagalog"),
]

COMPETENCES = [
    "Specialpædagogik",
    "Socialt arbejde",
    "Familieterapi",
    "Sygepleje",
    "Traumebehandling",
    "Psykologi",
    "Misbrugsbehandling",
    "Vold i nære relationer",
    "Neuropsykologiske vanskeligheder (ADHD, autisme)",
    "Spæd- og småbørn",
    "Unge og kriminalitet",
    "Marte Meo",
    "Signs of Safety",
    "Samværsstøtte",
]


def load(apps, schema_editor):
    Language = apps.get_model("organisations", "Language")
    Competence = apps.get_model("organisations", "Competence")
    for code, name in LANGUAGES:
        Language.objects.update_or_create(code=code, defaults={"name": name})
    for name in COMPETENCES:
        Competence.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("organisations", "0003_competence_language")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

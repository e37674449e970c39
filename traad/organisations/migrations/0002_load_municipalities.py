"""The 98 Danish municipalities with their official three-digit codes (kommunekoder)."""

from django.db import migrations

H, SJ, SD, MJ, NJ = "hovedstaden", "sjaelland", "syddanmark", "midtjylland", "nordjylland"

MUNICIPALITIES = [
    ("101", "Københavns Kommune", H),
    ("147", "Frederiksberg Kommune", H),
    ("151", "Ballerup Kommune", H),
    ("153", "Brøndby Kommune", H),
    ("155", "Dragør Kommune", H),
    ("157", "Gentofte Kommune", H),
    ("159", "Gladsaxe Kommune", H),
    ("161", "Glostrup Kommune", H),
    ("163", "Herlev Kommune", H),
    ("165", "Albertslund Kommune", H),
    ("167", "Hvidovre Kommune", H),
    ("169", "Høje-Taastrup Kommune", H),
    ("173", "Lyngby-Taarbæk Kommune", H),
    ("175", "Rødovre Kommune", H),
    ("183", "Ishøj Kommune", H),
    ("185", "Tårnby Kommune", H),
    ("187", "Vallensbæk Kommune", H),
    ("190", "Furesø Kommune", H),
    ("201", "Allerød Kommune", H),
    ("210", "Fredensborg Kommune", H),
    ("217", "Helsingør Kommune", H),
    ("219", "Hillerød Kommune", H),
    ("223", "Hørsholm Kommune", H),
    ("230", "Rudersdal Kommune", H),
    ("240", "Egedal Kommune", H),
    ("250", "Frederikssund Kommune", H),
    ("253", "Greve Kommune", SJ),
    ("259", "Køge Kommune", SJ),
    ("260", "Halsnæs Kommune", H),
    ("265", "Roskilde Kommune", SJ),
    ("269", "Solrød Kommune", SJ),
    ("270", "Gribskov Kommune", H),
    ("306", "Odsherred Kommune", SJ),
    ("316", "Holbæk Kommune", SJ),
    ("320", "Faxe Kommune", SJ),
    ("326", "Kalundborg Kommune", SJ),
    ("329", "Ringsted Kommune", SJ),
    ("330", "Slagelse Kommune", SJ),
    ("336", "Stevns Kommune", SJ),
    ("340", "Sorø Kommune", SJ),
    ("350", "Lejre Kommune", SJ),
    ("360", "Lolland Kommune", SJ),
    ("370", "Næstved Kommune", SJ),
    ("376", "Guldborgsund Kommune", SJ),
    ("390", "Vordingborg Kommune", SJ),
    ("400", "Bornholms Regionskommune", H),
    ("410", "Middelfart Kommune", SD),
    ("420", "Assens Kommune", SD),
    ("430", "Faaborg-Midtfyn Kommune", SD),
    ("440", "Kerteminde Kommune", SD),
    ("450", "Nyborg Kommune", SD),
    ("461", "Odense Kommune", SD),
    ("479", "Svendborg Kommune", SD),
    ("480", "Nordfyns Kommune", SD),
    ("482", "Langeland Kommune", SD),
    ("492", "Ærø Kommune", SD),
    ("510", "Haderslev Kommune", SD),
    ("530", "Billund Kommune", SD),
    ("540", "Sønderborg Kommune", SD),
    ("550", "Tønder Kommune", SD),
    ("561", "Esbjerg Kommune", SD),
    ("563", "Fanø Kommune", SD),
    ("573", "Varde Kommune", SD),
    ("575", "Vejen Kommune", SD),
    ("580", "Aabenraa Kommune", SD),
    ("607", "Fredericia Kommune", SD),
    ("615", "Horsens Kommune", MJ),
    ("621", "Kolding Kommune", SD),
    ("630", "Vejle Kommune", SD),
    ("657", "Herning Kommune", MJ),
    ("661", "Holstebro Kommune", MJ),
    ("665", "Lemvig Kommune", MJ),
    ("671", "Struer Kommune", MJ),
    ("706", "Syddjurs Kommune", MJ),
    ("707", "Norddjurs Kommune", MJ),
    ("710", "Favrskov Kommune", MJ),
    ("727", "Odder Kommune", MJ),
    ("730", "Randers Kommune", MJ),
    ("740", "Silkeborg Kommune", MJ),
    ("741", "Samsø Kommune", MJ),
    ("746", "Skanderborg Kommune", MJ),
    ("751", "Aarhus Kommune", MJ),
    ("756", "Ikast-Brande Kommune", MJ),
    ("760", "Ringkøbing-Skjern Kommune", MJ),
    ("766", "Hedensted Kommune", MJ),
    ("773", "Morsø Kommune", NJ),
    ("779", "Skive Kommune", MJ),
    ("787", "Thisted Kommune", NJ),
    ("791", "Viborg Kommune", MJ),
    ("810", "Brønderslev Kommune", NJ),
    ("813", "Frederikshavn Kommune", NJ),
    ("820", "Vesthimmerlands Kommune", NJ),
    ("825", "Læsø Kommune", NJ),
    ("840", "Rebild Kommune", NJ),
    ("846", "Mariagerfjord Kommune", NJ),
    ("849", "Jammerbugt Kommune", NJ),
    ("851", "Aalborg Kommune", NJ),
    ("860", "Hjørring Kommune", NJ),
]


def load(apps, schema_editor):
    Municipality = apps.get_model("organisations", "Municipality")
    for code, name, region in MUNICIPALITIES:
        Municipality.objects.update_or_create(code=code, defaults={"name": name, "region": region})


def unload(apps, schema_editor):
    Municipality = apps.get_model("organisations", "Municipality")
    Municipality.objects.filter(code__in=[code for code, _, _ in MUNICIPALITIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]

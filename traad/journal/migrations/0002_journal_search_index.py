"""A GIN index for full-text search of the journal on PostgreSQL (danish configuration).

The indexed expression is the one ``selectors.journal_search_vector()`` builds, so the planner
uses the index for searches. SQLite has no such index; its search is a simple word match.
"""

from django.db import migrations

INDEX_NAME = "journal_entry_search"


def _index():
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    return GinIndex(
        SearchVector("description", "reflections", "participants", config="danish"),
        name=INDEX_NAME,
    )


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("journal", "JournalEntry"), _index())


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("journal", "JournalEntry"), _index())


class Migration(migrations.Migration):
    dependencies = [("journal", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

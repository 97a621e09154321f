from django.db import migrations


def load(apps, schema_editor):
    from dialogos.core.countries import sync_countries

    sync_countries(apps.get_model("core", "Country"))


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

from django.db import migrations


def load(apps, schema_editor):
    from gongkai.cases.outcomes import OUTCOMES

    OutcomeMapping = apps.get_model("cases", "OutcomeMapping")
    OutcomeMapping.objects.bulk_create(
        [OutcomeMapping(outcome=o.code, table3_row=o.table3_row, confirmed=o.mapping_confirmed) for o in OUTCOMES]
    )


def unload(apps, schema_editor):
    apps.get_model("cases", "OutcomeMapping").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]

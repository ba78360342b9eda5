from django.db import migrations


def load(apps, schema_editor):
    from gongkai.catalog import vocabularies as v

    ChannelKind = apps.get_model("catalog", "ChannelKind")
    Genre = apps.get_model("catalog", "Genre")
    Topic = apps.get_model("catalog", "Topic")
    KeyArea = apps.get_model("catalog", "KeyArea")
    ChannelKind.objects.bulk_create([ChannelKind(code=c, name=n, category=k) for c, n, k in v.CHANNEL_KINDS])
    Genre.objects.bulk_create([Genre(code=c, name=n) for c, n in v.GENRES])
    by_code = {}
    for code, name, parent in v.TOPICS:
        by_code[code] = Topic.objects.create(code=code, name=name, parent=by_code.get(parent) if parent else None)
    KeyArea.objects.bulk_create([KeyArea(code=c, name=n) for c, n in v.KEY_AREAS])


def unload(apps, schema_editor):
    for model in ("ChannelKind", "Genre", "KeyArea"):
        apps.get_model("catalog", model).objects.all().delete()
    Topic = apps.get_model("catalog", "Topic")
    Topic.objects.filter(parent__isnull=False).delete()
    Topic.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]

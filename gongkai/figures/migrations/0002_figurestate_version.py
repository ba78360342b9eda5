from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("figures", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="figurestate",
            name="version",
            field=models.PositiveBigIntegerField(default=0, verbose_name="变更次数"),
        ),
        migrations.AddField(
            model_name="figurestate",
            name="tables",
            field=models.TextField(blank=True, default="*", verbose_name="变更的数据表"),
        ),
    ]

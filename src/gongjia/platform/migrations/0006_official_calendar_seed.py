from django.db import migrations

from gongjia.platform.calendar_seed import seed


class Migration(migrations.Migration):
    dependencies = [("platform", "0005_official_calendar")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

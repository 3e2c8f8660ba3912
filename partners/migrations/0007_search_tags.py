"""Text search reads the names of a listing's industries, products and services, in every
language of the site: a `search_tags` column, filled here for existing profiles, and (on
PostgreSQL) the full-text document rebuilt with the tags at weight C.

Self-contained on purpose (historical models): partners.services.directory's
refresh_search_documents does the same from now on.
"""

from django.conf import settings
from django.db import migrations, models
from django.utils import translation
from django.utils.translation import gettext

TAGS = {"industries": "Industry", "products": "Product", "services": "Service"}


def fill(apps, schema_editor):
    PartnerProfile = apps.get_model("partners", "PartnerProfile")
    tags: dict = {}
    for field, model_name in TAGS.items():
        model = apps.get_model("partners", model_name)
        names = {}
        for item in model.objects.all():
            shown = []
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    shown.append(gettext(item.name))
            names[item.pk] = " ".join(dict.fromkeys([item.name, *shown]))
        through = getattr(PartnerProfile, field).through
        column = f"{model_name.lower()}_id"
        rows = through.objects.values_list("partnerprofile_id", column)
        for profile_id, item_id in rows.order_by("partnerprofile_id", column):
            tags.setdefault(profile_id, []).append(names[item_id])
    PartnerProfile.objects.bulk_update(
        [PartnerProfile(pk=pk, search_tags="\n".join(t)) for pk, t in tags.items()],
        ["search_tags"],
        batch_size=2000,
    )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE partners_partnerprofile SET search_vector ="
            " setweight(to_tsvector('simple', coalesce(name, '')), 'A')"
            " || setweight(to_tsvector('simple', coalesce(summary, '')), 'B')"
            " || setweight(to_tsvector('simple', coalesce(search_tags, '')), 'C')"
        )


class Migration(migrations.Migration):
    dependencies = [("partners", "0006_directory_facet_arrays")]

    operations = [
        migrations.AddField(
            model_name="partnerprofile",
            name="search_tags",
            field=models.TextField(blank=True, editable=False, verbose_name="search tags"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

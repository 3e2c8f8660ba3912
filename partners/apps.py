from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def _set_trigram_threshold(sender, connection, **kwargs):
    """pg_trgm's default word-similarity threshold (0.6) misses common misspellings."""
    if connection.vendor != "postgresql":
        return
    from partners.search import WORD_SIMILARITY_THRESHOLD

    with connection.cursor() as cursor:
        cursor.execute("SET pg_trgm.word_similarity_threshold = %s", [WORD_SIMILARITY_THRESHOLD])


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    def ready(self):
        connection_created.connect(_set_trigram_threshold, dispatch_uid="partners_trigram")

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.text import collation_key


class RoleDefinition(models.Model):
    """A built-in directory role; its primary key is Microsoft Entra's stable template id."""

    id = models.UUIDField(_("template id"), primary_key=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    # Microsoft's German name and our German summary (roles/data/entra_builtin_roles.de.csv).
    # The API keeps returning the English `name`; pages and mail show `display_name`.
    name_de = models.CharField(_("German name"), max_length=160, blank=True)
    summary_de = models.TextField(_("German summary"), blank=True)
    is_privileged = models.BooleanField(_("privileged"), default=False)
    gdap_assignable = models.BooleanField(_("assignable through GDAP"), default=True)
    blocks_auto_extend = models.BooleanField(_("blocks auto-extend"), default=False)

    class Meta:
        verbose_name = _("role definition")
        verbose_name_plural = _("role definitions")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        """The role's name in the active language (Microsoft's German name in German)."""
        if self.name_de and (translation.get_language() or "").startswith("de"):
            return self.name_de
        return self.name

    @property
    def display_summary(self) -> str:
        if self.summary_de and (translation.get_language() or "").startswith("de"):
            return self.summary_de
        return self.summary

    @property
    def sort_key(self):
        """Sorts roles by their shown name with the active language's collation."""
        return collation_key(self.display_name)

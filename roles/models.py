from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleDefinition(models.Model):
    """A built-in directory role; its primary key is Microsoft Entra's stable template id."""

    id = models.UUIDField(_("template id"), primary_key=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    is_privileged = models.BooleanField(_("privileged"), default=False)
    gdap_assignable = models.BooleanField(_("assignable through GDAP"), default=True)
    blocks_auto_extend = models.BooleanField(_("blocks auto-extend"), default=False)

    class Meta:
        verbose_name = _("role definition")
        verbose_name_plural = _("role definitions")
        ordering = ["name"]

    def __str__(self):
        return self.name

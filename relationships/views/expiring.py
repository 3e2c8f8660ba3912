"""Expiring relationships, for the partner and the customer alike (/t/<tid>/gdap/expiring/):
tiles and filters by when they end, search, CSV, and switching auto-extend on many at once.

Switching runs through relationships.services.set_auto_extend, once per relationship (each
its own audit event). With htmx it runs in chunks: each answer reports the progress and
asks for the next chunk, so a long run shows how far it got; without JavaScript one POST
switches them all and the list says how it went.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.exports import csv_response
from core.filters import filter_page, filter_values
from core.paging import Paginator, page_keys
from core.views import TenantView, fragment_wanted, vary_on_htmx
from relationships import expiring, selectors, services
from relationships.filters import ExpiringFilter
from relationships.views.common import PER_PAGE
from roles import permissions as p

CHUNK = 10  # relationships switched per htmx request
MAX_IDS = 1000  # per run
NOTES_SHOWN = 20  # refusals listed at the end of a run

TILES = [
    ("30d", "within_30_days"),
    ("7d", "within_7_days"),
    ("1d", "within_1_day"),
    ("later", "after_30_days"),
    ("expired", "expired_last_year"),
]


def _may_switch(view, row) -> bool:
    """The partner's managers switch its relationships; the customer's own admins theirs."""
    if not row["can_switch"]:
        return False
    if row["auto_extend_refusal"] and not row["auto_extends"]:
        return False  # off, and it may not be switched on: nothing to tick it for
    if row["is_partner"]:
        return view.access.has(p.PARTNERS_MANAGE)
    return view.access.has_own(p.PARTNERS_MANAGE)


class ExpiringView(TenantView):
    required = {"GET": p.PARTNERS_READ}
    template_name = "relationships/gdap/expiring.html"

    def get(self, request, tid):
        now = timezone.now()
        filterset, qs = filter_page(
            ExpiringFilter, request.GET, selectors.expiring_of(self.tenant, at=now)
        )
        values = filter_values(filterset)
        page = Paginator(page_keys(qs), PER_PAGE).get_page(request.GET.get("page"))
        load = selectors.page_loader(qs)
        rows = [expiring.row(rel, self.tenant, now) for rel in load(page.object_list)]
        for row in rows:
            row["may_switch"] = _may_switch(self, row)
        summary = selectors.expiring_summary(self.tenant, at=now)
        labels = dict(ExpiringFilter.WINDOWS)
        tiles = [
            {
                "window": w,
                "label": labels[w],
                "count": summary[key],
                "current": values.get("window") == w,
            }
            for w, key in TILES
        ]
        context = self.get_context_data(
            form=filterset.form,
            filtered=bool(values),
            tiles=tiles,
            page=page,
            rows=rows,
            can_bulk=any(row["may_switch"] for row in rows),
            query=request.GET.urlencode(),
        )
        return vary_on_htmx(TemplateResponse(request, self.template_name, context))


class ExpiringCsvView(TenantView):
    """The list as CSV, with the same filters (every page, not just the one shown)."""

    required = {"GET": p.PARTNERS_READ}

    def get(self, request, tid):
        now = timezone.now()
        filterset, qs = filter_page(
            ExpiringFilter, request.GET, selectors.expiring_of(self.tenant, at=now)
        )
        if filterset.is_bound and not filterset.is_valid():
            qs = qs.none()
        return csv_response(
            expiring.filename(self.tenant, now),
            expiring.CSV_HEADER,
            expiring.csv_rows(qs.iterator(chunk_size=500), self.tenant, now),
        )


def _int(value, default=0, *, most=MAX_IDS) -> int:
    try:
        return max(0, min(int(value), most))
    except (TypeError, ValueError):
        return default


class AutoExtendBulkView(TenantView):
    """Switch auto-extend on the ticked relationships (POST relationships=…, enabled=1|0)."""

    required = {"POST": p.PARTNERS_MANAGE}

    def post(self, request, tid):
        ids = [i for i in request.POST.getlist("relationships") if len(i) <= 64][:MAX_IDS]
        enabled = request.POST.get("enabled") == "1"
        list_url = reverse("gdap_expiring", args=[self.tenant.pk])
        back = request.POST.get("next") or ""
        back = back if back.startswith(list_url) and "//" not in back else list_url
        if not ids:
            if fragment_wanted(request):
                return self._progress(
                    request, enabled, back, total=0, done=0, changed=0, notes=[], rest=[]
                )
            messages.error(request, _("Tick the relationships to switch first."))
            return redirect(back)
        if not fragment_wanted(request):
            outcomes = services.set_auto_extend_many(
                by=request.user, tenant=self.tenant, relationship_ids=ids, enabled=enabled
            )
            changed = sum(1 for o in outcomes if o.ok)
            text = _summary(enabled, changed, len(outcomes) - changed)
            (messages.success if changed else messages.error)(request, text)
            return redirect(back)
        chunk, rest = ids[:CHUNK], ids[CHUNK:]
        outcomes = services.set_auto_extend_many(
            by=request.user, tenant=self.tenant, relationship_ids=chunk, enabled=enabled
        )
        done = _int(request.POST.get("done")) + len(chunk)
        total = max(_int(request.POST.get("total")), done + len(rest))
        changed = _int(request.POST.get("changed")) + sum(1 for o in outcomes if o.ok)
        notes = [n[:300] for n in request.POST.getlist("note")][:NOTES_SHOWN]
        notes += _notes(self.tenant, [o for o in outcomes if not o.ok])
        return self._progress(
            request,
            enabled,
            back,
            total=total,
            done=done,
            changed=changed,
            notes=notes[:NOTES_SHOWN],
            rest=rest,
        )

    def _progress(self, request, enabled, back, *, total, done, changed, notes, rest):
        context = self.get_context_data(
            enabled=enabled,
            total=total,
            done=done,
            changed=changed,
            refused=done - changed,
            notes=notes,
            rest=rest,
            back=back,
            summary=_summary(enabled, changed, done - changed) if not rest else "",
        )
        return TemplateResponse(request, "relationships/gdap/_bulk_progress.html", context)


def _notes(tenant, refused) -> list[str]:
    """ "Name: why" for each refused relationship (one query for the names)."""
    if not refused:
        return []
    names = dict(
        selectors.relationships_of(tenant)
        .filter(pk__in=[o.id for o in refused if o.code != "not_found"])
        .values_list("pk", "display_name")
    )
    names = {str(k): v for k, v in names.items()}
    return [f"{names.get(o.id, o.id)}: {o.detail}" for o in refused]


def _summary(enabled: bool, changed: int, refused: int) -> str:
    if enabled:
        text = ngettext(
            "Auto-extend switched on for %(n)d relationship.",
            "Auto-extend switched on for %(n)d relationships.",
            changed,
        ) % {"n": changed}
    else:
        text = ngettext(
            "Auto-extend switched off for %(n)d relationship.",
            "Auto-extend switched off for %(n)d relationships.",
            changed,
        ) % {"n": changed}
    if refused:
        text += " " + ngettext(
            "%(n)d could not be switched (see why on the list).",
            "%(n)d could not be switched (see why on the list).",
            refused,
        ) % {"n": refused}
    return text

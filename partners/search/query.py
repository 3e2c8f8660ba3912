"""The directory's query: what a directory URL asks for (DirectoryQuery), its limits, and
the facet-value ids the statements filter and count by (FacetIds). partners.search has the
whole picture."""

import re
from dataclasses import dataclass, field

from django.db import connection
from django.utils.translation import gettext as _

from core.errors import ValidationError
from partners.models import ListingFacet, PartnerProfile
from partners.models.directory import FACET_ID_SPAN, FACET_TYPE_CODES

Dim = ListingFacet.Dimension
DIMENSIONS: tuple[str, ...] = tuple(Dim.values)
SORTS = ("relevance", "name")
MAX_QUERY_LENGTH = 200
MAX_VALUES = 30  # per filter
MAX_VALUE_LENGTH = 60
MAX_PAGE = 10_000
# Word similarity (pg_trgm) above which a name matches a misspelt query: "contso" finds
# "Contoso Ltd." (0.57) but not every "Consulting" (0.43). Set once per database
# connection (partners.apps), as pg_trgm reads it from the session.
WORD_SIMILARITY_THRESHOLD = 0.5
_TOKEN = re.compile(r"\w+", re.UNICODE)
COUNTRY_CODE = re.compile(r"[A-Za-z]{2}")


@dataclass(frozen=True)
class DirectoryQuery:
    """What a directory URL asks for; parsed once, shared by the API and the pages."""

    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1

    @classmethod
    def from_params(cls, params) -> "DirectoryQuery":
        """Parse a QueryDict; ValidationError (400) for malformed parameters.

        Unknown filter *values* are not an error: they match nothing.
        """
        errors: dict[str, list[str]] = {}
        if any("\x00" in v for key in params for v in params.getlist(key)):
            raise ValidationError(
                _("The query contains a character that is not allowed."), code="invalid"
            )
        q = " ".join((params.get("q") or "").split())
        if len(q) > MAX_QUERY_LENGTH:
            errors["q"] = [
                _("At most %(n)d characters.") % {"n": MAX_QUERY_LENGTH},
            ]
        filters = {}
        for dim in DIMENSIONS:
            values = [v.strip() for v in params.getlist(dim) if v.strip()]
            if len(values) > MAX_VALUES:
                errors[dim] = [_("At most %(n)d values.") % {"n": MAX_VALUES}]
            elif any(len(v) > MAX_VALUE_LENGTH for v in values):
                errors[dim] = [_("A value is too long.")]
            elif dim == Dim.COUNTRY and not all(COUNTRY_CODE.fullmatch(v) for v in values):
                errors[dim] = [_("Use two-letter country codes (ISO 3166), such as DE.")]
            elif values:
                normalise = str.upper if dim == Dim.COUNTRY else str.lower
                filters[dim] = tuple(dict.fromkeys(normalise(v) for v in values))
        sort = params.get("sort") or ("relevance" if q else "name")
        if sort not in SORTS:
            errors["sort"] = [_("Choose relevance or name.")]
        page = 1
        raw_page = params.get("page")
        if raw_page not in (None, ""):
            try:
                page = int(raw_page)
            except ValueError:
                page = 0
            if not 1 <= page <= MAX_PAGE:
                errors["page"] = [_("A page number from 1 to %(n)d.") % {"n": MAX_PAGE}]
        if errors:
            raise ValidationError(_("Check the search parameters."), errors=errors)
        return cls(q=q, filters=filters, sort=sort, page=page)

    @property
    def uses_rank(self) -> bool:
        return bool(self.q) and self.sort == "relevance"

    @property
    def unfiltered(self) -> bool:
        """No text and no filter: every listed partner (the landing page's total and counts)."""
        return not self.q and not self.filters

    def selected(self, dim: str) -> tuple[str, ...]:
        return self.filters.get(dim, ())

    def params(self, *, page: int | None = None) -> list[tuple[str, str]]:
        """The query as URL parameters (for links that keep the search)."""
        pairs = [("q", self.q)] if self.q else []
        for dim in DIMENSIONS:
            pairs.extend((dim, v) for v in self.selected(dim))
        if self.sort != ("relevance" if self.q else "name"):
            pairs.append(("sort", self.sort))
        if page and page > 1:
            pairs.append(("page", str(page)))
        return pairs


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def listed():
    return PartnerProfile.objects.filter(is_certified=True)


def _tsquery(q: str) -> str:
    """A prefix tsquery ("word:* & other:*") from the words of q; safe by construction."""
    return " & ".join(f"{token}:*" for token in _TOKEN.findall(q.lower())[:12])


def document():
    """The full-text document of a profile: name (weight A) above summary (weight B) above
    the names of its industries, products and services (weight C)."""
    from django.contrib.postgres.search import SearchVector

    return (
        SearchVector("name", weight="A", config="simple")
        + SearchVector("summary", weight="B", config="simple")
        + SearchVector("search_tags", weight="C", config="simple")
    )


def facet_rows(profile_id, *, countries=(), industries=(), products=(), services=(),
               org_sizes=(), relationship_types=()) -> list[ListingFacet]:  # fmt: skip
    """The ListingFacet rows of one listed profile (unsaved)."""
    values = {
        Dim.COUNTRY: countries,
        Dim.INDUSTRY: industries,
        Dim.PRODUCT: products,
        Dim.SERVICE: services,
        Dim.ORG_SIZE: org_sizes,
        Dim.RELATIONSHIP_TYPE: relationship_types,
    }
    return [
        ListingFacet(profile_id=profile_id, dimension=dim, value=str(value))
        for dim, chosen in values.items()
        for value in dict.fromkeys(chosen)
    ]


# Facet-value ids (PostgreSQL) ------------------------------------------------------------


class FacetIds:
    """Facet values to their ids in `facet_ids` and back (partners.models.directory).

    Built from the curated values' primary keys: (dimension, slug, pk) triples, which
    the page reads anyway for the labels it shows.
    """

    def __init__(self, curated):
        self._ids: dict[tuple[str, str], int] = {}
        self._values: dict[int, tuple[str, str]] = {}
        for dim, slug, pk in curated:
            fid = DIMENSIONS.index(dim) * FACET_ID_SPAN + pk
            self._ids[dim, slug] = fid
            self._values[fid] = (dim, slug)

    def id(self, dim: str, value: str) -> int | None:
        """The id of a value, or None for a value no listing can have."""
        if dim == Dim.COUNTRY:
            if len(value) == 2 and value.isascii() and value.isalpha() and value.isupper():
                return (ord(value[0]) - 65) * 26 + ord(value[1]) - 65
            return None
        if dim == Dim.RELATIONSHIP_TYPE:
            if value in FACET_TYPE_CODES:
                return _TYPE_BASE + FACET_TYPE_CODES.index(value) + 1
            return None
        return self._ids.get((dim, value))

    def value(self, fid: int) -> tuple[str, str] | None:
        """(dimension, value) of an id; None for a curated value deleted meanwhile."""
        if fid < FACET_ID_SPAN:
            return Dim.COUNTRY, chr(65 + fid // 26) + chr(65 + fid % 26)
        if fid > _TYPE_BASE:
            number = fid - _TYPE_BASE
            if number <= len(FACET_TYPE_CODES):
                return Dim.RELATIONSHIP_TYPE, FACET_TYPE_CODES[number - 1]
            return None
        return self._values.get(fid)

    def ids(self, dim: str, values) -> list[int]:
        return sorted({i for v in values if (i := self.id(dim, v)) is not None})


_TYPE_BASE = DIMENSIONS.index(Dim.RELATIONSHIP_TYPE) * FACET_ID_SPAN

"""Lists page in SQL first (issue 16): the page's primary keys come from a narrow query
that has the list's filters and order but none of its joins (the database sorts and
counts narrow rows, and stops at the page); then the page's rows are read with their
related rows, for that page only.

    paginate(view, page_keys(rows), Serializer, load=rows_for(rows))        # API
    page = Paginator(page_keys(rows), n).get_page(number)                    # pages
    objects = rows_for(rows)(page.object_list)
"""


def page_keys(queryset):
    """The primary keys of queryset's rows, in its order (what a paginator slices)."""
    return queryset.values_list("pk", flat=True)


def rows_for(queryset):
    """A function from a page of primary keys to those rows of queryset (its joins and
    prefetches for the page only), in the page's order."""

    def load(keys) -> list:
        keys = list(keys)
        if not keys:
            return []
        by_key = {row.pk: row for row in queryset.filter(pk__in=keys).order_by()}
        return [by_key[key] for key in keys if key in by_key]

    return load

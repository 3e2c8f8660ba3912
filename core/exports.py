"""CSV downloads shared by pages and the API: streamed, one header row, and no cell that a
spreadsheet would run as a formula."""

import csv
from collections.abc import Iterable

from django.http import StreamingHttpResponse
from rest_framework.renderers import BaseRenderer, JSONRenderer

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """A value as a CSV cell: text, with a leading quote before anything formula-like."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    """A streamed CSV attachment (UTF-8 with a byte order mark, for spreadsheets)."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow([cell(h) for h in header])
        for row in rows:
            yield writer.writerow([cell(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class CSVRenderer(BaseRenderer):
    """Lets an export endpoint be asked for with `Accept: text/csv` (CSVExportMixin)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return "" if data is None else str(data)


class CSVExportMixin:
    """For an API view that answers with csv_response(): accepts text/csv, and answers its
    errors in the API's one JSON error shape whatever the client asked for."""

    renderer_classes = [JSONRenderer, CSVRenderer]

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response

from django.http import Http404
from django.template.response import TemplateResponse

from agreements import selectors


def agreement_text(request, version):
    """The rendered text of a published customer agreement version (public)."""
    agreement = selectors.get_published_version(version)
    if agreement is None:
        raise Http404
    paragraphs = [p.strip() for p in agreement.body.split("\n\n") if p.strip()]
    return TemplateResponse(
        request,
        "agreements/text.html",
        {
            "agreement": agreement,
            "paragraphs": paragraphs,
            "is_current": agreement == selectors.current_version(),
        },
    )

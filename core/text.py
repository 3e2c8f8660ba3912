"""Text helpers: locale-aware ones that need no system locale or ICU, and link masking.

`collation_key` sorts the way German and English dictionaries do (DIN 5007-1): letters
with diacritics sort with their base letter (Österreich among the O's, Åland among the
A's), ß as ss, case ignored; the original string breaks ties so the order is stable.
"""

import re
import unicodedata

from django.utils.functional import lazy

_SPECIAL = str.maketrans({"ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O"})


def collation_key(text: str) -> tuple[str, str]:
    base = unicodedata.normalize("NFKD", str(text).translate(_SPECIAL))
    stripped = "".join(ch for ch in base if not unicodedata.combining(ch))
    return (stripped.casefold(), str(text))


def sorted_collated(items, key=lambda item: item):
    """items sorted by collation_key(key(item))."""
    return sorted(items, key=lambda item: collation_key(key(item)))


_DOUBLED_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")


def one_full_stop(text):
    """text with a doubled full stop collapsed: a name that ends in one ("Contoso Ltd.")
    at the end of a sentence gives "Contoso Ltd.", not "Contoso Ltd..". An ellipsis stays."""
    return _DOUBLED_STOP.sub(".", text)


def join_sentence(text: str) -> str:
    """text with one closing full stop: 'Contoso Ltd.' stays, 'Contoso' gets one."""
    text = str(text).rstrip()
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def lazy_text(func, *args):
    """func(*args) as a lazy string: evaluated when rendered, in the language active then.

    Mail context is built in the actor's language and rendered in each recipient's; a
    label passed as a plain str would keep the actor's language.
    """
    return lazy(func, str)(*args)


def format_money(amount, currency: str) -> str:
    """An amount in the active language's format: "1,234.50 EUR" / "1.234,50 EUR"."""
    from django.utils import formats

    number = formats.number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    return f"{number}\N{NO-BREAK SPACE}{currency}"


def format_number(value) -> str:
    """A whole or decimal number with the active language's separators (grouped)."""
    from django.utils import formats

    return formats.number_format(value, use_l10n=True, force_grouping=True)


def mask_link(url):
    """A link with its secret part replaced: every path segment long enough to be a token
    (what Liaison keeps of a link shown once: mails after sending, replayed answers)."""
    if not isinstance(url, str):
        return url
    head, sep, path = url.partition("://")
    if not sep:
        return url
    host, slash, rest = path.partition("/")
    segments = ["•••" if len(s) >= 16 else s for s in rest.split("/")]
    return f"{head}{sep}{host}{slash}{'/'.join(segments)}"

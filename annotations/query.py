"""The filter syntax the article list and the review queue share: whitespace-separated
terms, double quotes keeping spaces (`#"two words"`), matched without regard to case."""

from __future__ import annotations


def filter_terms(text: str) -> list[str]:
    """Split a filter on whitespace, except inside double quotes (which are dropped).

    `#"two words" @ana "new york"` gives `#two words`, `@ana`, `new york`; an unclosed
    quote runs to the end. One pass over the text, no regular expression.
    """
    terms: list[str] = []
    current: list[str] = []
    started = quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
            started = True
        elif char.isspace() and not quoted:
            if started:
                terms.append("".join(current))
            current, started = [], False
        else:
            current.append(char)
            started = True
    if started:
        terms.append("".join(current))
    return [term for term in terms if term.strip()]


def filter_term(prefix: str, value: str) -> str:
    """`prefix` + `value` as one filter term, quoted when `value` has spaces or quotes.

    (A double quote inside a value cannot be written; it is left out.)
    """
    value = value.replace('"', "")
    if any(char.isspace() for char in value) or not value:
        return f'{prefix}"{value}"'
    return prefix + value

"""Made-up article pages for the detector's tests: prose on one topic, furniture around it."""

from __future__ import annotations

# Prose for the body of made-up articles: long, sentence-like, on one topic.
BODY = [
    "The harbour commission voted on Tuesday to rebuild the old lighthouse pier, ending a "
    "decade of argument over whether the crumbling stone jetty should be restored or removed.",
    "Commissioners said the lighthouse pier would reopen to walkers within two years, and that "
    "the restoration would reuse as much of the original granite as the engineers allow.",
    "Fishermen who moor beside the pier welcomed the decision, though several asked the "
    "commission to keep the harbour open to boats while the lighthouse work goes on.",
    "The engineers' survey found that the granite blocks under the lighthouse had shifted "
    "after the winter storms, and that the pier's foundations needed new concrete footings.",
    "A public meeting on the lighthouse pier plans will be held next month at the harbour "
    "office, where residents can see drawings of the restored jetty and its new railings.",
]
MORE_BODY = [
    "Opponents of the lighthouse pier restoration said the commission had underestimated "
    "the cost, and warned that the harbour budget could not absorb another overrun.",
    "The commission's chair replied that the pier contract would carry a fixed price, and "
    "that any delay to the lighthouse works would be paid for by the builder.",
    "Work on the harbour side of the pier is due to start in the spring, once the fishing "
    "season ends and the lighthouse keeper's cottage has been cleared.",
]
HEADLINE = "Harbour commission votes to rebuild the lighthouse pier"


def page(*before: str, body: list[str] | None = None, after: tuple[str, ...] = ()) -> str:
    """A page: furniture lines, the headline, blank-separated paragraphs, more furniture."""
    parts = [*before, "", HEADLINE, ""]
    for paragraph in body if body is not None else BODY:
        parts += [paragraph, ""]
    parts += list(after)
    return "\n".join(parts) + "\n"

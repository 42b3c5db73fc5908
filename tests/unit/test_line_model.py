"""The line model: its features, the shipped weights, and how it overrules the rules."""

from __future__ import annotations

import numpy as np
import pytest
from helpers.pages import BODY, HEADLINE, page

from reader.boilerplate import Kind, detect, detector, learned
from reader.corpus.html import (
    CONTAINER_MEASURES,
    CONTAINER_SIZES,
    ELEMENT_BITS,
    WORD_BITS,
    render_html,
)
from reader.corpus.model import Article


def draft_of(text: str) -> detector.Draft:
    draft = detector._rule_pass(Article(text=text, source="t", name="t"), None)
    assert draft is not None
    return draft


def features_of(draft: detector.Draft) -> np.ndarray:
    return learned.text_features(
        draft.infos, draft.kinds, draft.scores, draft.headline, draft.body, draft.raw_body
    )


def constant_model(features: int, logit: float) -> learned.LineModel:
    """A model that says the same probability for every line (sigmoid of `logit`)."""
    return learned.LineModel(
        mean=np.zeros(features),
        scale=np.ones(features),
        hidden_weights=np.zeros((features, 2)),
        hidden_bias=np.zeros(2),
        output_weights=np.zeros(2),
        output_bias=logit,
    )


@pytest.mark.parametrize("name", ["text", "html"])
def test_both_models_ship_and_match_their_features(name: str) -> None:
    model = learned.shipped_model(name)
    assert model is not None
    expected = len(learned.TEXT_FEATURES)
    if name == "html":
        expected += learned.MARKUP_FEATURES_COUNT
    assert model.mean.shape == (expected,)
    assert model.hidden_weights.shape[0] == expected
    assert np.all(np.isfinite(model.hidden_weights))


def test_text_features_have_one_named_column_each_and_describe_the_lines() -> None:
    text = page("Home", "World news", "Sport", after=("Privacy policy", "Contact us"))
    draft = draft_of(text)
    features = features_of(draft)
    assert features.shape == (len(draft.infos), len(learned.TEXT_FEATURES))
    assert np.all(np.isfinite(features))
    column = learned.TEXT_FEATURES.index
    rows = {info.text: row for row, info in enumerate(draft.infos)}
    body_row, menu_row = rows[BODY[0]], rows["Home"]
    assert features[body_row, column("in_body")] == 1.0
    assert features[menu_row, column("before_body")] == 1.0
    assert features[body_row, column("terminal")] == 1.0
    assert features[menu_row, column("terminal")] == 0.0
    assert features[rows[HEADLINE], column("headline")] == 1.0
    # The menu has the page's prose after it; prose is dense around the body's paragraphs.
    assert features[menu_row, column("prose_after")] > features[body_row, column("prose_after")]
    dense = column("prose_vs_best@3")
    assert features[body_row, dense] > features[menu_row, dense]


def test_neighbour_columns_average_the_lines_around_leaving_the_line_out() -> None:
    draft = draft_of(page("Home", "World news", after=("Privacy policy",)))
    features = features_of(draft)
    column = learned.TEXT_FEATURES.index
    terminal = features[:, column("terminal")]
    around = features[:, column("terminal@1")]
    last = len(terminal) - 1
    assert around[0] == terminal[1]
    assert around[last] == terminal[last - 1]
    for row in range(1, last):
        assert around[row] == (terminal[row - 1] + terminal[row + 1]) / 2


def test_markup_features_spell_out_the_bits() -> None:
    rendered = render_html(
        "<html><body><nav class='menu'><a href='/'>Home</a></nav>"
        "<p>" + BODY[0] + "</p></body></html>"
    )
    article = Article(text=rendered.text, source="t", name="t", markup=rendered.markup)
    draft = detector._rule_pass(article, None)
    assert draft is not None
    columns = learned.markup_features(draft.infos, rendered.markup)
    assert columns.shape == (2, learned.MARKUP_FEATURES_COUNT)
    nav = int(np.log2(ELEMENT_BITS["nav"]))
    link = int(np.log2(ELEMENT_BITS["a"]))
    navigation_word = 27 + int(np.log2(WORD_BITS["navigation"])) - 32
    assert columns[0, nav] == 1.0 and columns[0, link] == 1.0
    assert columns[0, navigation_word] == 1.0
    assert columns[1, nav] == 0.0
    scalars = 47 + 47 + 3  # after the bits and the nearby measures
    assert columns[0, scalars] == 1.0  # link share of "Home"
    assert columns[1, scalars + 3] == 1.0  # the line has markup
    # Then what the blocks around each line hold, as the markup packed it.
    packed = np.frombuffer(rendered.markup[0].containers, dtype=np.uint8) / 255.0
    assert np.array_equal(columns[0, scalars + 4 :], packed)


def test_the_model_reads_every_container_measure_the_markup_packs() -> None:
    containers = len(CONTAINER_SIZES) * len(CONTAINER_MEASURES)
    assert containers == learned.MARKUP_FEATURES_COUNT - (47 + 47 + 3 + 4)


def zero_is_content_model(features: int, column: int) -> learned.LineModel:
    """A model sure of content where `column` is 0 and of boilerplate where it is 0.1 or
    more away from 0 (either way: one hidden unit per sign)."""
    hidden_weights = np.zeros((features, 2))
    hidden_weights[column] = (1.0, -1.0)
    return learned.LineModel(
        mean=np.zeros(features),
        scale=np.ones(features),
        hidden_weights=hidden_weights,
        hidden_bias=np.zeros(2),
        output_weights=np.array([200.0, 200.0]),
        output_bias=-10.0,
    )


def test_a_confident_model_removes_what_the_rules_kept_and_says_why() -> None:
    draft = draft_of(page("Home"))
    kept_before = [i for i, kind in enumerate(draft.kinds) if kind in (None, Kind.CONTENT)]
    assert draft.body is not None and draft.headline is not None
    # Sure of boilerplate on every line but the body's first.
    first = draft.body.start
    features = len(learned.TEXT_FEATURES)
    model = zero_is_content_model(features, learned.TEXT_FEATURES.index("from_body_start"))
    detector._second_opinion(draft, model, None)
    assert draft.kinds[first] is Kind.CONTENT
    for index in kept_before:
        if index != first:
            assert draft.kinds[index] not in (None, Kind.CONTENT, Kind.HEADLINE)
            assert "line model" in draft.reasons[index]
            assert draft.scores[index] > 0.99
    assert draft.headline is None


def test_a_model_that_would_empty_the_body_leaves_the_body_alone() -> None:
    draft = draft_of(page("Home", after=("Privacy policy",)))
    assert draft.body is not None
    body = range(draft.body.start, draft.body.end + 1)
    kept_before = {i: draft.kinds[i] for i in body if draft.kinds[i] in (None, Kind.CONTENT)}
    assert kept_before
    detector._second_opinion(draft, constant_model(len(learned.TEXT_FEATURES), 10.0), None)
    assert all(draft.kinds[i] is Kind.CONTENT for i in kept_before)
    # Outside the body the sure model still has its say (the headline goes).
    assert draft.headline is None


def test_a_confident_model_keeps_what_the_rules_removed_except_on_exact_evidence() -> None:
    text = page(
        "World news",
        "ADVERTISEMENT",
        after=("Skip to main content", "© 2024 The Gazette. All rights reserved."),
    )
    draft = draft_of(text)
    by_text = {info.text: index for index, info in enumerate(draft.infos)}
    removed = {text: draft.kinds[index] for text, index in by_text.items()}
    assert removed["World news"] is Kind.CHROME  # by its place, above the article
    assert not draft.is_firm(by_text["World news"])
    worded = ["ADVERTISEMENT", "Skip to main content", "© 2024 The Gazette. All rights reserved."]
    assert all(draft.is_firm(by_text[line]) for line in worded)
    detector._second_opinion(draft, constant_model(len(learned.TEXT_FEATURES), -10.0), None)
    assert draft.kinds[by_text["World news"]] is Kind.CONTENT
    assert "the rules said" in draft.reasons[by_text["World news"]]
    for line in worded:
        assert draft.kinds[by_text[line]] is removed[line]


def test_a_model_sure_of_content_cannot_keep_separators_or_contents_links() -> None:
    contents = ["Why the pier matters", "What the survey found", "When the works begin"]
    body = [*BODY[:2], "Table of Contents\n" + "\n".join(contents), BODY[2], "* * *", *BODY[3:]]
    draft = draft_of(page("World news", body=body))
    by_text = {info.text: index for index, info in enumerate(draft.infos)}
    settled = [by_text["* * *"], *(by_text[line] for line in contents)]
    assert all(draft.kinds[index] is Kind.CHROME for index in settled)
    # Settled, not firm: the model reads them as open, as it was fitted.
    assert not any(draft.is_firm(index) for index in settled)
    detector._second_opinion(draft, constant_model(len(learned.TEXT_FEATURES), -10.0), None)
    assert all(draft.kinds[index] is Kind.CHROME for index in settled)
    assert draft.kinds[by_text["World news"]] is Kind.CONTENT  # what is not settled, it keeps


def test_captions_printed_twice_and_dated_list_items_are_firm() -> None:
    caption = "The old lighthouse pier at dusk, seen from the harbour wall"
    schedule = [
        "June 26 -- Pier Hall, Eastwick, ME",
        "June 27 -- Harbour Arena, Stonham, ME",
        "June 29 -- The Green, Northcape, ME",
    ]
    body = [BODY[0], caption, caption, BODY[1], "\n".join(schedule), *BODY[2:]]
    draft = draft_of(page("Home", body=body))
    by_text = {info.text: index for index, info in enumerate(draft.infos)}
    first_copy = min(i for i, info in enumerate(draft.infos) if info.text == caption)
    assert draft.kinds[first_copy] is Kind.CAPTION and draft.is_firm(first_copy)
    for item in schedule:
        assert draft.kinds[by_text[item]] is Kind.CONTENT
    dated = [by_text[item] for item in schedule if draft.infos[by_text[item]].cue is not None]
    assert dated and all(draft.is_firm(index) for index in dated)
    before = list(draft.kinds)
    detector._second_opinion(draft, constant_model(len(learned.TEXT_FEATURES), 10.0), None)
    for index in (first_copy, *dated):
        assert draft.kinds[index] is before[index]


def test_an_unsure_model_leaves_the_rules_alone() -> None:
    draft = draft_of(page("Home", after=("Privacy policy",)))
    kinds = list(draft.kinds)
    detector._second_opinion(draft, constant_model(len(learned.TEXT_FEATURES), 0.0), None)
    assert draft.kinds == kinds


def test_html_articles_are_judged_by_the_html_model() -> None:
    rendered = render_html(
        "<html><body><nav><a href='/'>Home</a></nav><h1>"
        + HEADLINE
        + "</h1>"
        + "".join(f"<p>{p}</p>" for p in BODY)
        + "</body></html>"
    )
    article = Article(text=rendered.text, source="t", name="t", markup=rendered.markup)
    analysis = detect(article)
    lines = rendered.text.split("\n")
    assert analysis.verdicts[lines.index("Home")].boilerplate
    for paragraph in BODY:
        assert not analysis.verdicts[lines.index(paragraph)].boilerplate


def test_an_article_saved_alone_keeps_every_line() -> None:
    """A reader-mode save: the article and nothing around it, its last paragraph last on
    the page (where a real page has its footer)."""
    rendered = render_html(
        f"<html><head><title>{HEADLINE}</title></head><body><article><h1>{HEADLINE}</h1>"
        + "".join(f"<p>{p}</p>" for p in BODY)
        + "</article></body></html>"
    )
    article = Article(text=rendered.text, source="t", name="t", markup=rendered.markup)
    analysis = detect(article)
    assert analysis.verdicts and not any(v.boilerplate for v in analysis.verdicts.values())


def test_lines_only_the_model_flags_are_named_from_the_markup_around_them() -> None:
    rendered = render_html(
        "<html><body><h1>" + HEADLINE + "</h1>"
        + "".join(f"<p>{p}</p>" for p in BODY)
        + "<aside class='sidebar'><p>Buy the harbour guide at the pier shop today</p></aside>"
        + "<div class='newsletter-box'><p>Get the morning briefing in your inbox</p></div>"
        + "</body></html>"
    )  # fmt: skip
    article = Article(text=rendered.text, source="t", name="t", markup=rendered.markup)
    draft = detector._rule_pass(article, None)
    assert draft is not None
    by_text = {info.text: index for index, info in enumerate(draft.infos)}
    kind, reason = detector._model_kind(
        draft.infos, by_text["Buy the harbour guide at the pier shop today"], None, rendered.markup
    )
    assert kind is Kind.RELATED and "sidebar" in reason and "markup" in reason
    kind, reason = detector._model_kind(
        draft.infos, by_text["Get the morning briefing in your inbox"], None, rendered.markup
    )
    assert kind is Kind.NEWSLETTER and "newsletter" in reason
    # Text input has no markup: the place decides.
    kind, reason = detector._model_kind(draft.infos, by_text[BODY[0]], None)
    assert kind is Kind.CHROME and "markup" not in reason


def _training_script():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "bench" / "train_line_model.py"
    spec = importlib.util.spec_from_file_location("train_line_model", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_an_ensemble_is_one_perceptron_whose_logit_is_the_members_mean() -> None:
    """`bench/train_line_model.py --ensemble N` ships N networks as one model of the same
    form: its logit is the mean of theirs."""
    combine = _training_script().combine
    generator = np.random.default_rng(7)
    features, hidden = 6, 4
    mean, scale = generator.normal(size=features), generator.uniform(0.5, 2.0, size=features)
    members = [
        (
            generator.normal(size=(features, hidden)),
            generator.normal(size=hidden),
            generator.normal(size=hidden),
            float(generator.normal()),
        )
        for _ in range(3)
    ]
    rows = generator.normal(size=(10, features))
    logits = []
    for weights, bias, output, output_bias in members:
        single = learned.LineModel(mean, scale, weights, bias, output, output_bias)
        probability = single.probabilities(rows)
        logits.append(np.log(probability / (1.0 - probability)))
    combined = combine(mean, scale, members)
    assert combined.hidden_weights.shape == (features, 3 * hidden)
    expected = 1.0 / (1.0 + np.exp(-np.mean(logits, axis=0)))
    assert np.allclose(combined.probabilities(rows), expected)

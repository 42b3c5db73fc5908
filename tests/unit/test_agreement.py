"""Agreement measures against hand-computed and published values."""

from __future__ import annotations

import pytest

from annotations.agreement import (
    TaggedSpan,
    cohen_kappa,
    krippendorff_alpha,
    pairwise_kappa,
    span_f1,
)


def ratings(values: str) -> dict[int, str]:
    """'YN.Y' -> {0: 'Y', 1: 'N', 3: 'Y'} ('.' = not rated)."""
    return {i: v for i, v in enumerate(values) if v != "."}


def test_kappa_textbook_example() -> None:
    # 50 items: both yes 20, A yes/B no 5, A no/B yes 10, both no 15 -> po 0.7, pe 0.5.
    a = "Y" * 20 + "Y" * 5 + "N" * 10 + "N" * 15
    b = "Y" * 20 + "N" * 5 + "Y" * 10 + "N" * 15
    result = cohen_kappa(ratings(a), ratings(b))
    assert result.units == 50
    assert result.observed == pytest.approx(0.7)
    assert result.expected == pytest.approx(0.5)
    assert result.kappa == pytest.approx(0.4)


def test_kappa_perfect_agreement() -> None:
    assert cohen_kappa(ratings("YNYN"), ratings("YNYN")).kappa == pytest.approx(1.0)


def test_kappa_chance_agreement_is_zero() -> None:
    # Independent halves: each says Y half the time, agreement exactly at chance.
    assert cohen_kappa(ratings("YYNN"), ratings("YNYN")).kappa == pytest.approx(0.0)


def test_kappa_one_annotator_with_a_single_category() -> None:
    # A keeps everything; B removes half: po 0.5, pe 0.5 -> kappa 0.
    result = cohen_kappa(ratings("NNNN"), ratings("NNYY"))
    assert result.expected == pytest.approx(0.5)
    assert result.kappa == pytest.approx(0.0)


def test_kappa_undefined_when_both_use_one_category() -> None:
    result = cohen_kappa(ratings("NNN"), ratings("NNN"))
    assert result.observed == 1.0 and result.kappa is None


def test_kappa_only_shared_units_count() -> None:
    result = cohen_kappa(ratings("YN.."), ratings("..YN"))
    assert result.units == 0 and result.kappa is None
    assert cohen_kappa(ratings("YNY."), ratings(".NYY")).units == 2


def test_pairwise_kappa_names_each_pair_once() -> None:
    pairs = pairwise_kappa({"bo": ratings("YN"), "al": ratings("YN"), "cy": ratings("NY")})
    assert [(p.first, p.second) for p in pairs] == [("al", "bo"), ("al", "cy"), ("bo", "cy")]


def test_alpha_published_nominal_example() -> None:
    # Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011): nominal alpha 0.743.
    data = {
        "A": ratings("123321412..."),
        "B": ratings("1233224125.3"),
        "C": ratings(".3332342251."),
        "D": ratings("12332441251."),
    }
    assert krippendorff_alpha(data) == pytest.approx(0.743, abs=0.001)


def test_alpha_perfect_and_undefined() -> None:
    assert krippendorff_alpha({"a": ratings("YNYN"), "b": ratings("YNYN")}) == pytest.approx(1.0)
    assert krippendorff_alpha({"a": ratings("NNNN"), "b": ratings("NNNN")}) is None
    assert krippendorff_alpha({"a": ratings("YN")}) is None
    assert krippendorff_alpha({"a": ratings("YN.."), "b": ratings("..YN")}) is None


def test_alpha_systematic_disagreement_is_negative() -> None:
    value = krippendorff_alpha({"a": ratings("YNYN"), "b": ratings("NYNY")})
    assert value is not None and value < 0


def test_span_f1() -> None:
    a = [TaggedSpan("x", 0, 10, "quote"), TaggedSpan("x", 20, 30, "claim")]
    b = [
        TaggedSpan("x", 1, 10, "quote"),
        TaggedSpan("x", 20, 30, "other"),
        TaggedSpan("y", 0, 5, "quote"),
    ]
    assert span_f1(a, b) == pytest.approx(2 * 1 / 5)
    assert span_f1(a, a) == pytest.approx(1.0)
    assert span_f1([], []) is None
    assert span_f1(a, []) == 0.0
    # Overlap 2/30, under the 0.5 needed: no match. Overlap 10/20, exactly 0.5: a match.
    assert span_f1([TaggedSpan("x", 0, 10, "t")], [TaggedSpan("x", 8, 30, "t")]) == 0.0
    assert span_f1([TaggedSpan("x", 0, 10, "t")], [TaggedSpan("x", 0, 20, "t")]) == 1.0


def test_kappa_counts_chance_over_shared_units_only() -> None:
    """Units only one annotator rated change neither the observed nor the chance agreement.

    Shared: A/A, B/B, A/B, B/B -> observed 3/4; first's shares A 2/4, B 2/4, second's
    A 1/4, B 3/4 -> chance (2*1 + 2*3)/16 = 1/2 -> kappa (3/4 - 1/2) / (1 - 1/2) = 1/2.
    """
    first = {"u1": "A", "u2": "B", "u3": "A", "u4": "B", "only1": "A", "only2": "A"}
    second = {"u1": "A", "u2": "B", "u3": "B", "u4": "B", "only3": "B"}
    result = cohen_kappa(first, second)
    assert result.units == 4
    assert result.observed == pytest.approx(0.75)
    assert result.expected == pytest.approx(0.5)
    assert result.kappa == pytest.approx(0.5)

"""Every member of every closed vocabulary has its own label."""

from __future__ import annotations

from lawsup_desktop.domain import vocabulary
from lawsup_desktop.domain.vocabulary import Labelled, RectificationState, WatchState


def _members() -> list[Labelled]:
    return [member for kind in Labelled.__subclasses__() for member in kind]


def test_every_member_has_a_label_in_both_languages() -> None:
    for member in _members():
        assert member.label.zh and member.label.en, member


def test_members_with_the_same_value_keep_their_own_labels() -> None:
    # StrEnum members are equal to their value, so a dict keyed by member
    # once gave WatchState.PENDING the label of RectificationState.PENDING.
    assert WatchState.PENDING == RectificationState.PENDING
    assert WatchState.PENDING.label.zh == "待盯"
    assert RectificationState.PENDING.label.zh == "待整改"


def test_no_label_pair_is_dropped_or_unused() -> None:
    assert len(vocabulary._LABELS) == len(vocabulary._LABEL_PAIRS) == len(_members())

"""Property tests of grant expiry: what the resolver and the API read at any moment."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from relationships.models import DelegatedAdminRelationship, extended_end

START = datetime(2026, 1, 1, tzinfo=UTC)
moments = st.integers(min_value=0, max_value=3 * 730 * 86400).map(
    lambda s: START + timedelta(seconds=s)
)
durations = st.integers(min_value=1, max_value=730).map(lambda d: timedelta(days=d))
auto_extend = st.sampled_from([timedelta(0), timedelta(days=180)])


@given(duration=durations, extend=auto_extend, at=moments)
def test_the_end_read_at_any_moment_is_ahead_or_the_grant_has_expired(duration, extend, at):
    end = START + duration
    effective = extended_end(end, extend, at)

    if extend:
        assert effective > at  # an auto-extending grant always ends in the future
        assert (effective - end) % extend == timedelta(0)  # moved by whole periods
        if end <= at:  # moved on only as far as needed: the next period boundary
            assert effective - at <= extend
        else:
            assert effective == end
    else:
        assert effective == end


@given(duration=durations, extend=auto_extend, at=moments)
def test_status_reads_expired_exactly_when_the_end_has_passed(duration, extend, at):
    rel = DelegatedAdminRelationship(
        status=DelegatedAdminRelationship.Status.ACTIVE,
        duration=duration,
        auto_extend_duration=extend,
        activated_at=START,
        end_at=START + duration,
    )

    status = rel.status_at(at)

    if extend or at < rel.end_at:
        assert status == "active"
    else:
        assert status == "expired"
    assert rel.is_expiring(at) == (
        status == "active" and rel.effective_end(at) - at <= timedelta(days=30)
    )

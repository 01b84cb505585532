"""Announcements: a draw fixed before its random values exist cannot be steered.

The issue's grinding list, each now refused or reported: a secret chosen after the sources
are known, a raw seed tried until it suited, the sources listed in another order, eligibility
edited after the seed was known, confidential exclusions added for an assignment.
"""

from __future__ import annotations

import datetime
import json

import pytest

from randsample import Population, PublicSource, Seed, draw_stratified, make_record
from randsample.errors import InvalidInputError, LowEntropySeedError, RecordFormatError
from randsample.examples import demo_sizes
from randsample.records import (
    AnnouncedSource,
    AnnouncementRecord,
    announce_draw,
    check_announcement,
    read_record,
    seal,
    verify,
)
from randsample.teams import Conflicts, ExcludedPair, input_digest

from .ledgers import (
    AUTHORITY,
    announced_draw,
    announced_sources,
    announced_teams,
    population,
    secret_for,
    seed_for,
    stamp,
)

ANNOUNCED = datetime.date(2026, 11, 20)
DAY = ANNOUNCED + datetime.timedelta(days=2)


def _draw(seed: Seed, *, pop: Population | None = None, sizes: dict[str, int] | None = None):
    pop = pop or population()
    return make_record(
        draw_stratified(pop, sizes or demo_sizes(pop), seed),
        authority=AUTHORITY,
        draw_id="QH-2026-11",
        timestamp=stamp(DAY + datetime.timedelta(days=1)),
    )


@pytest.fixture(scope="module")
def announced():
    return announced_draw("QH-2026-11", ANNOUNCED)


def test_a_draw_that_follows_its_announcement_is_publicly_random(announced):
    """The announced draw verifies with the note 'publicly random', and round-trips."""
    notice, record = announced
    report = verify(record, population(), announcement=notice)
    assert report.ok, report
    assert report.publicly_random
    assert ["publicly-random"] == [note.code for note in report.notes]
    assert notice.to_json() == read_record(notice.to_json()).to_json()
    assert isinstance(read_record(notice.to_json()), AnnouncementRecord)
    assert "publicly random" in str(report)


def test_without_an_announcement_the_verdict_says_so(announced):
    """The same draw verified alone is VERIFIED but not publicly random, in words."""
    _, record = announced
    report = verify(record, population())
    assert report.ok
    assert not report.publicly_random
    assert ["unannounced"] == [note.code for note in report.notes]
    assert "not publicly random" in str(report)


def test_a_raw_seed_verdict_says_the_authority_chose_it():
    """A raw seed (7 tries were enough to steer one) verifies, with 'the authority chose'."""
    record = _draw(Seed.from_bytes(secret_for("raw")))
    report = verify(record, population())
    assert report.ok
    assert ["raw-seed"] == [note.code for note in report.notes]
    assert "the authority chose the seed" in str(report)


def test_a_secret_chosen_after_the_sources_is_caught(announced):
    """Grinding: another secret (the commitment differs) does not follow the announcement."""
    notice, _ = announced
    ground = _draw(seed_for(DAY, "QH-2026-11", secret=secret_for("ground")))
    fields = verify(ground, population(), announcement=notice).fields
    assert "announcement.commitment" in fields


def test_a_raw_seed_does_not_follow_an_announcement(announced):
    """An announced draw made from a raw seed is reported: the announcement named sources."""
    notice, _ = announced
    raw = _draw(Seed.from_bytes(secret_for("raw")))
    assert "announcement.sources" in verify(raw, population(), announcement=notice).fields


def test_the_source_order_is_fixed_by_the_announcement(announced):
    """The 6 orders of 3 sources give 6 selections; only the announced order verifies."""
    import itertools

    notice, _ = announced
    secret = secret_for("QH-2026-11")
    base = seed_for(DAY, "QH-2026-11", secret=secret).sources
    selections = set()
    verified = []
    for order in itertools.permutations(range(3)):
        sources = [base[i] for i in order]
        record = _draw(Seed.from_sources(sources, secret=secret))
        selections.add(record.selected_ids)
        verified.append(verify(record, population(), announcement=notice).ok)
    assert 6 == len(selections)
    assert [True, False, False, False, False, False] == verified


def test_a_dropped_value_is_caught(announced):
    """Taking 6 of the 7 announced lottery numbers is reported on that source."""
    notice, _ = announced
    secret = secret_for("QH-2026-11")
    sources = list(seed_for(DAY, "QH-2026-11", secret=secret).sources)
    sources[0] = PublicSource(sources[0].name, sources[0].values[:6])
    record = _draw(Seed.from_sources(sources, secret=secret, allow_low_entropy=True))
    fields = verify(record, population(), announcement=notice).fields
    assert "announcement.sources[0].values" in fields


def test_eligibility_edited_after_the_seed_is_caught(announced):
    """Dropping a target by marking it ineligible changes the committed population."""
    notice, record = announced
    pop = population()
    target = record.selected_ids[0]
    eligible = pop.eligible.copy()
    eligible[pop.ids.tolist().index(target)] = False
    edited = pop.with_eligibility(eligible)
    again = _draw(seed_for(DAY, "QH-2026-11", secret=secret_for("QH-2026-11")), pop=edited)
    assert target not in again.selected_ids
    assert verify(again, edited).ok  # it verifies against the edited file ...
    fields = verify(again, edited, announcement=notice).fields
    assert "announcement.population.commitment" in fields  # ... but not the announcement


def test_other_sizes_are_caught(announced):
    """A draw with other sample sizes than announced is reported on design.strata."""
    notice, _ = announced
    sizes = {k: max(0, v - 1) for k, v in demo_sizes(population()).items()}
    record = _draw(seed_for(DAY, "QH-2026-11", secret=secret_for("QH-2026-11")), sizes=sizes)
    assert "announcement.design.strata" in verify(record, population(), announcement=notice).fields


def test_sources_published_before_the_announcement_are_refused_and_reported():
    """Announcing a source on or after its day proves nothing: refused, and reported."""
    with pytest.raises(InvalidInputError, match="after the announcement"):
        announce_draw(
            population(),
            demo_sizes(population()),
            sources=announced_sources(ANNOUNCED),
            authority=AUTHORITY,
            draw_id="late",
            timestamp=stamp(ANNOUNCED),
        )
    notice, record = announced_draw("QH-2026-11", ANNOUNCED)
    content = notice.content
    content["timestamp"] = stamp(DAY + datetime.timedelta(days=2))  # after the sources, the draw
    late = AnnouncementRecord(seal(content))
    fields = [d.field for d in check_announcement(record, late)]
    assert {"announcement.sources[0].date", "announcement.timestamp"} <= set(fields)


def test_assignment_announcement_fixes_the_confidential_exclusions():
    """Two confidential 'other' exclusions added after the announcement change the conflicts
    digest: the assignment no longer follows its announcement."""
    notice, record = announced_teams(None, population())  # type: ignore[arg-type]
    assert [] == check_announcement(record, notice)
    content = notice.content
    visits_digest = content["inputs"]["input_digest"]
    conflicts = Conflicts(
        exclusions=[ExcludedPair("G-001", "E-1", "other"), ExcludedPair("G-002", "E-2", "other")]
    )
    content["inputs"]["conflicts_digest"] = conflicts.digest()
    content["inputs"]["input_digest"] = input_digest([], conflicts)
    assert visits_digest != content["inputs"]["input_digest"]
    other = AnnouncementRecord(seal(content))
    fields = {d.field for d in check_announcement(record, other)}
    assert {"announcement.inputs.conflicts_digest", "announcement.inputs.input_digest"} <= fields


def test_weak_secrets_are_refused_unless_overridden_and_then_recorded():
    """'qinghe-2026-11-A' and bytes(range(16)) are refused; with the override the
    announcement records weak_secret_allowed and the verdict says the secret is weak."""
    pop = population()
    for weak in (b"qinghe-2026-11-A", bytes(range(16))):
        with pytest.raises(LowEntropySeedError, match="looks chosen"):
            announce_draw(
                pop,
                demo_sizes(pop),
                sources=announced_sources(DAY),
                authority=AUTHORITY,
                draw_id="weak",
                timestamp=stamp(ANNOUNCED),
                secret=weak,
            )
    weak = b"qinghe-2026-11-A"
    notice = announce_draw(
        pop,
        demo_sizes(pop),
        sources=announced_sources(DAY),
        authority=AUTHORITY,
        draw_id="QH-2026-11",
        timestamp=stamp(ANNOUNCED),
        secret=weak,
        allow_weak_secret=True,
    )
    assert notice["weak_secret_allowed"] is True
    sources = seed_for(DAY, "QH-2026-11", secret=None).sources
    with pytest.raises(LowEntropySeedError, match="looks chosen"):
        Seed.from_sources(sources, secret=weak)
    record = _draw(Seed.from_sources(sources, secret=weak, allow_weak_secret=True))
    report = verify(record, pop, announcement=notice)
    assert report.ok, report
    assert {"publicly-random", "weak-secret"} == {note.code for note in report.notes}
    content = notice.content
    content["weak_secret_allowed"] = False
    hidden = AnnouncementRecord(seal(content))
    assert "announcement.weak_secret_allowed" in verify(record, pop, announcement=hidden).fields


def test_repeated_digit_sources_are_refused_and_noted():
    """'10000000000000000000' is 20 digits to spec 2.4 but 2 entropy digits: refused when a
    seed is made; a v1 record made with it still re-derives, and its verdict says so."""
    source = [PublicSource("typed", ["10000000000000000000"])]
    with pytest.raises(LowEntropySeedError, match="2 entropy digits"):
        Seed.from_sources(source)
    seed = Seed.from_sources(source, allow_low_entropy=True)
    assert seed.low_entropy_allowed is False  # the v1 flag is frozen: 20 digits by 2.4
    report = verify(_draw(seed), population())
    assert report.ok
    assert {"unannounced", "weak-sources"} == {note.code for note in report.notes}


@pytest.mark.parametrize(
    ("path", "value", "fragment"),
    [
        (("announces", "record_format"), "randsample.replacement-record/1", "expected"),
        (("announces", "id"), " QH", "not a label"),
        (("announces", "algorithm", "version"), True, "expected an integer"),
        (("population",), None, "must be given"),
        (
            ("inputs",),
            {"directory_digest": "0" * 64, "input_digest": "0" * 64, "conflicts_digest": "0" * 64},
            "must be null",
        ),
        (("population", "commitment", "scheme"), "population-digest/9", "not a known"),
        (("design", "strata", 0, "sample_size"), -1, "expected an integer >= 0"),
        (("sources",), [], "at least one"),
        (("sources", 0, "date"), "2026-02-30", "real date"),
        (("sources", 0, "values"), 0, ">= 1"),
        (("sources", 1, "name"), "双色球 2026-11-22", "twice"),
        (("commitment",), "ABC", "lowercase"),
        (("sources", 0, "extra"), 1, "is not a field"),
    ],
)
def test_malformed_announcements_are_refused(announced, path, value, fragment):
    """Every announcement field has its exact format; a re-sealed bad value is malformed."""
    notice, _ = announced
    content = json.loads(notice.to_json())
    target = content
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(RecordFormatError, match=fragment):
        read_record(json.dumps(seal(content), ensure_ascii=False))


def test_announced_source_checks_its_arguments():
    """AnnouncedSource refuses a bad name, a datetime, or zero values."""
    with pytest.raises(InvalidInputError):
        AnnouncedSource(" x", DAY)
    with pytest.raises(TypeError):
        AnnouncedSource("x", datetime.datetime(2026, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        AnnouncedSource("x", DAY, 0)

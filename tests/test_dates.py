import datetime as dt

import pytest

from geo.evidence.dates import date_label, period_label

D = dt.date


@pytest.mark.parametrize("start, end, precision, label", [
    (D(2018, 10, 5), D(2018, 10, 5), "day", "5 Oct 2018"),
    (D(2018, 10, 1), D(2018, 10, 31), "month", "Oct 2018 (month only)"),
    (D(1995, 1, 1), D(1995, 12, 31), "year", "1995 (year only)"),
    (D(1995, 1, 1), D(1995, 12, 31), "range", "1995 (year only)"),
    (D(1990, 1, 1), D(1993, 12, 31), "range", "1990–1993 (range)"),
    (D(2016, 2, 2), D(2016, 2, 3), "range", "2–3 Feb 2016 (range)"),
    (D(2017, 1, 31), D(2017, 2, 9), "range", "31 Jan 2017 – 9 Feb 2017 (range)"),
    (D(2013, 3, 1), D(2013, 5, 31), "season", "Mar – May 2013 (season)"),
    (D(1994, 12, 1), D(1995, 2, 28), "season", "Dec 1994 – Feb 1995 (season)"),
    (D(2007, 11, 1), D(2007, 11, 30), "range", "Nov 2007 (month only)"),
])
def test_date_label_states_the_precision(start, end, precision, label):
    assert date_label(start, end, precision) == label


@pytest.mark.parametrize("end, precision, label", [
    (D(1989, 12, 31), "year", "1989 or earlier"),
    (D(2008, 10, 31), "month", "Oct 2008 or earlier"),
    (D(1994, 12, 30), "day", "30 Dec 1994 or earlier"),
])
def test_a_date_known_only_as_on_or_before_says_so(end, precision, label):
    assert date_label(None, end, precision, "on_or_before") == label
@pytest.mark.parametrize("start, end, precision, label", [
    (D(1967, 1, 1), None, "year", "since 1967"),          # was "since 1–1 Jan 1967"
    (D(1993, 1, 1), D(1995, 12, 31), "year", "1993 – 1995"),
    (D(1994, 1, 1), D(1994, 12, 31), "year", "1994"),     # not "1994 – 1994"
    (D(2018, 10, 1), D(2019, 3, 31), "month", "Oct 2018 – Mar 2019"),
    (D(2018, 10, 5), None, "day", "since 5 Oct 2018"),
])
def test_period_label_reads_at_its_precision(start, end, precision, label):
    assert period_label(start, end, precision) == label

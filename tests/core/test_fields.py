"""The date fields' fast path reads what peewee writes, and leaves the rest to peewee."""

from datetime import date, datetime

import peewee

from registry.fields import DateField, DateTimeField


def test_iso_dates_are_read_as_dates():
    field = DateField()
    assert field.python_value("2027-03-28") == date(2027, 3, 28)
    assert field.python_value(None) is None
    assert field.python_value(date(2027, 3, 28)) == date(2027, 3, 28)


def test_a_date_stored_with_a_time_is_read_as_peewee_reads_it():
    assert DateField().python_value("2027-03-28 01:00:00") == (
        peewee.DateField().python_value("2027-03-28 01:00:00"))


def test_instants_are_read_as_naive_datetimes_with_their_microseconds():
    field = DateTimeField()
    assert field.python_value("2027-03-28 00:59:40.250000") == datetime(
        2027, 3, 28, 0, 59, 40, 250000)
    assert field.python_value("2027-03-28 00:59:40") == datetime(2027, 3, 28, 0, 59, 40)
    assert field.python_value("2027-03-28") == datetime(2027, 3, 28)


def test_text_with_an_offset_or_not_a_date_goes_to_peewee():
    aware = "2027-03-28 03:00:00+03:00"
    assert DateTimeField().python_value(aware) == peewee.DateTimeField().python_value(aware)
    assert DateTimeField().python_value("not a date") == "not a date"
    assert DateField().python_value("28.03.2027") == "28.03.2027"

"""The iCalendar text of a feed, made with the `icalendar` library, one event at a time.

icalendar spends about a millisecond on each event, and a staff feed at the benchmark size has
thousands, most of them unchanged from one registry revision to the next. So each event's text
is kept (keyed by everything it shows) and only new or changed dates are encoded again; the
feed is the calendar's own header and footer around the kept events. An event's DTSTAMP is the
time its text was first made.
"""

import threading
from collections import OrderedDict
from datetime import UTC, timedelta

from icalendar import Alarm, Calendar, Event

from registry.models import utcnow

REMINDER = timedelta(days=-7)
KEPT_EVENTS = 100_000  # about 60 MB at most; the benchmark registry's feeds need 12,000
FOOTER = b"END:VCALENDAR\r\n"


class EventTexts:
    """Encoded events by (feed date, domain), the least recently used dropped beyond `size`."""

    def __init__(self, size=KEPT_EVENTS):
        self._size = size
        self._texts = OrderedDict()
        self._lock = threading.Lock()

    def text(self, feed_date, domain):
        """Return the VEVENT bytes of `feed_date`, encoding it only when not kept."""
        key = (feed_date, domain)
        with self._lock:
            found = self._texts.get(key)
            if found is not None:
                self._texts.move_to_end(key)
                return found
        made = _event(feed_date, domain).to_ical()
        with self._lock:
            self._texts[key] = made
            while len(self._texts) > self._size:
                self._texts.popitem(last=False)
        return made


_texts = EventTexts()


def _event(feed_date, domain):
    event = Event()
    event.add("uid", f"{feed_date.uid}@{domain}")
    event.add("dtstamp", utcnow().replace(microsecond=0, tzinfo=UTC))
    event.add("dtstart", feed_date.on)
    event.add("dtend", feed_date.on + timedelta(days=1))
    event.add("summary", feed_date.summary)
    event.add("description", f"{feed_date.description}\n{feed_date.url}")
    event.add("url", feed_date.url)
    event.add("transp", "TRANSPARENT")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", feed_date.summary)
    alarm.add("trigger", REMINDER)
    event.add_component(alarm)
    return event


def calendar_bytes(dates, name, domain):
    """Return the VCALENDAR named `name` holding one all-day event per FeedDate."""
    calendar = Calendar()
    calendar.add("prodid", "-//dpa-registry//calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", timedelta(hours=1))
    empty = calendar.to_ical()
    header = empty[:-len(FOOTER)]
    return b"".join([header, *(_texts.text(feed_date, domain) for feed_date in dates), FOOTER])

"""Dates in words follow the language of the page or e-mail (registry.formatting.long_date)."""

from datetime import date

import pytest
from flask_babel import force_locale

from registry.formatting import long_date

DAY = date(2026, 11, 25)


@pytest.mark.parametrize(("language", "written"), [("en", "25 November 2026"),
                                                   ("fi", "25. marraskuuta 2026"),
                                                   ("sv", "25 november 2026")])
def test_a_date_in_words_in_each_language(app, language, written):
    with app.test_request_context(), force_locale(language):
        assert long_date(DAY) == written
        assert long_date(DAY, iso=True) == f"{written} (2026-11-25)"
        assert long_date(None) == ""

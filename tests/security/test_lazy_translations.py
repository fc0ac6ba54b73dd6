"""A lazily translated message that carries a name someone typed is escaped like any text."""

from flask import render_template_string
from flask_babel import lazy_gettext as _l


def test_a_lazy_message_with_markup_in_its_values_is_escaped(app):
    message = _l("New sub-processor %(name)s", name='<img src=x onerror="alert(1)">')
    with app.test_request_context():
        page = render_template_string("<p>{{ message }}</p>", message=message)
    assert "<img" not in page
    assert "&lt;img src=x" in page


def test_a_lazy_label_still_reads_as_its_words(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        page = render_template_string("{{ label }}", label=_l("Enter the person's e-mail address."))
    assert page == "Enter the person&#39;s e-mail address."

"""The page-side names of stored states, clauses and finding codes (registry/labels.py)."""


def test_every_finding_code_has_a_translatable_label():
    from registry.compliance import FINDING_CODES
    from registry.labels import FINDING_LABELS

    assert set(FINDING_LABELS) == set(FINDING_CODES)
    assert all(str(FINDING_LABELS[code]) == meaning.label
               for code, meaning in FINDING_CODES.items())


def test_labels_follow_the_page_language(app):
    from flask_babel import force_locale

    from registry.labels import clause_label, finding_label, status_label

    with app.test_request_context(), force_locale("sv"):
        assert status_label("authorised") == "Godkänd"
        assert clause_label("security_art32", capitalised=True) == "Säkerhetsåtgärder (artikel 32)"
        assert str(finding_label("flow_down_missing")).startswith("Inget undertecknat")
    with app.test_request_context(), force_locale("fi"):
        assert status_label("withdrawn") == "Peruttu"
        assert status_label("some_new_state") == "Some new state"

"""The alert e-mails in their readers' languages (issue 21): the legal digest once per language
its readers chose, a subcontractor's reminder in its company's, findings translated."""

from registry.alerts import operations
from registry.models import Alert, User
from tests.alerts.factories import make_lapsing_registry, make_staff

# The two findings of the lapsing registry, as each language's e-mail says them.
FINDINGS = {
    "en": ("DPA v1 with Kauppa Oy expires on 2027-01-24",
           "Iso27001 of Pilvi Oy expires on 2027-01-24"),
    "fi": ("Rekisterinpitäjän Kauppa Oy käsittelysopimus v1 päättyy 24.1.2027",
           "Alihankkijan Pilvi Oy todistus Iso27001 vanhenee 24.1.2027"),
    "sv": ("Biträdesavtal v1 med Kauppa Oy upphör att gälla den 24 jan. 2027",
           "Iso27001 från Pilvi Oy går ut den 24 jan. 2027"),
}
RELATIVE = {"en": "(in 2 months)", "fi": "(2 kuukauden kuluttua)", "sv": "(om 2 månader)"}
SUBJECTS = {"en": "Compliance alerts for 2026-11-25: 2 amber",
            "fi": "Vaatimustenmukaisuushälytykset 2026-11-25: 2 keltaista",
            "sv": "Efterlevnadsvarningar 2026-11-25: 2 gula"}


def _parts(message):
    return (message.get_body(("plain",)).get_content(),
            message.get_body(("html",)).get_content())


def _language_of(user_email):
    return User.get(User.email == user_email).language or "en"


def test_the_legal_digest_goes_out_once_per_language_its_readers_chose(app, smtp_server, travel):
    make_lapsing_registry()
    User.update(language="fi").where(User.email == "legal@processor.example").execute()
    make_staff("juristi@processor.example")
    User.update(language="fi").where(User.email == "juristi@processor.example").execute()
    make_staff("jurist@processor.example", role="admin")
    User.update(language="sv").where(User.email == "jurist@processor.example").execute()
    travel(2026, 11, 25, 6, 0)

    report = operations.send_alerts()

    assert not report.failed and not report.deferred
    digests = {}
    for recipients, message, _auth in smtp_server.messages:
        if "processor.example" in recipients[0]:
            languages = {_language_of(address) for address in recipients}
            assert len(languages) == 1, recipients  # nobody reads another's language
            digests[languages.pop()] = (recipients, message)
    assert set(digests) == {"en", "fi", "sv"}
    assert digests["en"][0] == ["admin@processor.example"]
    assert digests["fi"][0] == ["juristi@processor.example", "legal@processor.example"]
    assert digests["sv"][0] == ["jurist@processor.example"]
    for language, (_recipients, message) in digests.items():
        assert message["Subject"] == f"[dpa-registry] {SUBJECTS[language]}", language
        for part in _parts(message):
            for finding in FINDINGS[language]:
                assert finding in part, (language, finding)
            assert RELATIVE[language] in part, language
            for other in {"en", "fi", "sv"} - {language}:
                assert FINDINGS[other][0] not in part, (language, other)
    ids = {language: message["Message-ID"] for language, (_r, message) in digests.items()}
    assert len(set(ids.values())) == 3
    legal = list(Alert.select().where(Alert.audience == "legal"))
    # The rows keep the group's Message-ID: the English digest's; the others derive from it.
    assert {alert.message_id for alert in legal} == {ids["en"]}
    assert ids["fi"] == ids["en"].replace("@", ".fi@", 1)
    assert sorted(legal[0].recipients) == sorted(
        address for recipients, _message in digests.values() for address in recipients)


def test_a_digest_to_finnish_readers_only_keeps_the_group_s_message_id(app, smtp_server,
                                                                        travel):
    make_lapsing_registry()
    User.update(language="fi").where(User.role.in_(("legal", "admin"))).execute()
    travel(2026, 11, 25, 6, 0)
    operations.send_alerts()
    digest = [message for recipients, message, _auth in smtp_server.messages
              if recipients == ["admin@processor.example", "legal@processor.example"]]
    assert len(digest) == 1
    assert digest[0]["Message-ID"] == Alert.get(Alert.audience == "legal").message_id
    assert FINDINGS["fi"][0] in _parts(digest[0])[0]


def test_a_reminder_is_in_its_company_s_language_with_the_finding_translated(app, smtp_server,
                                                                             travel):
    rows = make_lapsing_registry()
    rows["subcontractor"].language = "sv"
    rows["subcontractor"].save()
    travel(2026, 11, 25, 6, 0)
    operations.send_alerts()
    reminder = [message for recipients, message, _auth in smtp_server.messages
                if "security@pilvi.example" in recipients]
    assert len(reminder) == 1
    for part in _parts(reminder[0]):
        assert FINDINGS["sv"][1] in part
        assert FINDINGS["en"][1] not in part
        assert RELATIVE["sv"] in part

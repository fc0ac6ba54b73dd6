"""The processor's own details, kept as Setting rows: read here, written by `operations`."""

from typing import NamedTuple

from flask_babel import lazy_gettext as _l

from registry.models import Setting


class SettingSpec(NamedTuple):
    """One admin-maintained setting: its key, label, help text and whether it is long text."""

    key: str
    label: str
    help: str
    multiline: bool
    max_length: int
    is_email: bool = False


SETTINGS = (
    SettingSpec("processor_name", _l("Processor name"),
                _l("The processing company's legal name, as it appears in reports."), False, 200),
    SettingSpec("processor_contact", _l("Processor contact details"),
                _l("Postal address, e-mail and telephone for data protection matters."),
                True, 1000),
    SettingSpec("reply_to", _l("Reply-To address for e-mails"),
                _l("Where replies to the registry's e-mails go (a mailbox someone reads). Empty: "
                "the first e-mail address in the processor's contact details."), False, 254,
                is_email=True),
    SettingSpec("representative", _l("Representative (Art. 27)"),
                _l("Name and contact of the EU representative, if the processor needs one."),
                True, 1000),
    SettingSpec("dpo_contact", _l("Data protection officer"),
                _l("Name and contact of the data protection officer, if one is designated."),
                True, 1000),
    SettingSpec("security_measures", _l("Security measures (Art. 32)"),
                _l("A general description of the technical and organisational security measures, "
                "printed in the Art. 30(2) record."), True, 20000),
)
SETTING_KEYS = tuple(spec.key for spec in SETTINGS)


def load_settings():
    """Return {key: value} for every known setting; a setting never saved is an empty string."""
    values = dict.fromkeys(SETTING_KEYS, "")
    query = Setting.select(Setting.key, Setting.value).where(Setting.key.in_(SETTING_KEYS))
    for key, value in query.tuples():
        values[key] = value
    return values

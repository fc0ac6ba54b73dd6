"""Forms of the subcontractor pages: the subcontractor, its flow-down agreement, offboarding."""

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    URL,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from registry.compliance import CLAUSE_KEYS, TRANSFER_MECHANISMS
from registry.compliance.facts import RISK_TIERS
from registry.dpas.forms import DATE_MESSAGE
from registry.form_validation import finnish_business_id, parent_subcontractor, past_date
from registry.labels import clause_choice
from registry.languages import company_language_field
from registry.pending_uploads import FileOrKept
from registry.subcontractors.countries import country_choices, parse_country_codes
from registry.validation import (
    LONG_TEXT_LENGTH,
    email_error,
    stored_business_id,
    stored_email,
    stored_language,
)

TIER_LABELS = {"low": "Low", "medium": "Medium", "high": "High"}
EDITABLE_STATUSES = (SelectChoice("proposed", _l("Proposed (not processing data yet)")),
                     SelectChoice("active", _l("Active (processing data)")))
MAX_LIST_ITEMS = 50


def split_lines(text):
    """Return the non-empty lines (or comma-separated items) of `text`, trimmed."""
    items = []
    for line in (text or "").splitlines():
        items.extend(part.strip() for part in line.split(","))
    return [item for item in items if item]


def _email_list(form, field):
    addresses, problems = [], []
    for item in split_lines(field.data):
        try:
            normalized = validate_email(item, check_deliverability=False).normalized
        except EmailNotValidError:
            problems.append(item)
            continue
        undeliverable = email_error(normalized)
        if undeliverable:
            raise ValidationError(undeliverable)
        addresses.append(stored_email(normalized))
    if problems:
        raise ValidationError(f"Not an e-mail address: {', '.join(problems)}")
    if len(addresses) > MAX_LIST_ITEMS:
        raise ValidationError(f"Enter at most {MAX_LIST_ITEMS} addresses.")
    field.addresses = list(dict.fromkeys(addresses))


def _country_list(form, field):
    codes, unknown = parse_country_codes(field.data)
    if unknown:
        raise ValidationError(
            f"Not an ISO country code: {', '.join(unknown)}. Use two letters, e.g. FI, SE, US."
        )
    field.codes = codes


class SubcontractorForm(FlaskForm):
    """Create or edit a subcontractor."""

    name = StringField(_l("Name"), validators=[InputRequired(_l("Enter the company's name.")),
                                           Length(max=200)])
    country = SelectField(_l("Country of registration"), choices=country_choices(), default="FI")
    business_id = StringField(
        _l("Business ID"), validators=[Length(max=50), finnish_business_id()],
        description=_l("For a Finnish company the Y-tunnus, e.g. 1234567-8."))
    language = company_language_field()
    website = URLField(_l("Website"), validators=[Optional(), Length(max=300),
                                              URL(message=_l(
                                                  "Enter a full address (https://...)."))])
    purpose = TextAreaField(
        _l("Purpose and service"),
        validators=[InputRequired(_l("Say what the company does with the data.")),
                    Length(max=LONG_TEXT_LENGTH)],
        description=_l("What it does for you; controllers read this in the notice."))
    data_categories = TextAreaField(
        _l("Personal data it touches"), validators=[Optional(), Length(max=2000)],
        description=_l("One category per line, e.g. names, e-mail addresses, order history."))
    processing_countries = StringField(
        _l("Processing locations"), validators=[Optional(), Length(max=300), _country_list],
        description=_l("Countries where data is stored or accessed: ISO codes, e.g. FI, SE, US."))
    transfer_mechanism = SelectField(
        _l("Transfer mechanism"),
        choices=[SelectChoice("", _l("None needed (EEA only)")),
                 *(SelectChoice(code, label) for code, label in TRANSFER_MECHANISMS.items())],
        description=_l("Needed when any processing location is outside the EEA."))
    tia_on = DateField(_l("Transfer impact assessment done on"),
                       validators=[Optional(), past_date("tia_on")],
                       description=_l("Required with the 2021 standard contractual clauses."))
    risk_tier = SelectField(_l("Risk tier"),
                            choices=[SelectChoice(t, TIER_LABELS[t]) for t in RISK_TIERS],
                            default="medium",
                            description=_l("Decides which evidence is required of it."))
    handles_card_data = BooleanField(_l("Handles payment card data (PCI DSS evidence required)"))
    status = SelectField(_l("Status"), choices=EDITABLE_STATUSES, default="proposed")
    parent = SelectField(
        _l("Engaged by (parent sub-processor)"), choices=[], default="", validate_choice=False,
        validators=[parent_subcontractor],
        description=_l("Leave empty when you engage it directly. A sub-processor engaged by "
                    "another one needs the authorisation of every controller whose data that "
                    "one processes (Art. 28(2), (4))."))
    contacts = TextAreaField(
        _l("Contact e-mail addresses"), validators=[Optional(), _email_list],
        description=_l("They receive reminders about the company's evidence. One per line."))
    breach_notice_hours = IntegerField(
        _l("Breach notice promised within (hours)"),
        validators=[Optional(), NumberRange(min=1, max=720, message=_l("Enter 1 to 720 hours."))],
        description=_l("How soon the company promised to tell you about a personal data breach."))
    submit = SubmitField(_l("Save"))

    def values(self):
        """Return the cleaned values as model fields."""
        return {
            "name": " ".join(self.name.data.split()),
            "country": self.country.data,
            "business_id": stored_business_id(self.country.data, self.business_id.data),
            "language": stored_language(self.country.data, self.language.data),
            "website": (self.website.data or "").strip(),
            "purpose": self.purpose.data.strip(),
            "data_categories": split_lines(self.data_categories.data),
            "processing_countries": getattr(self.processing_countries, "codes", []),
            "transfer_mechanism": self.transfer_mechanism.data or None,
            "tia_on": self.tia_on.data,
            "risk_tier": self.risk_tier.data,
            "handles_card_data": bool(self.handles_card_data.data),
            "status": self.status.data,
            "contacts": getattr(self.contacts, "addresses", []),
            "breach_notice_hours": self.breach_notice_hours.data,
            "parent": int(self.parent.data) if self.parent.data else None,
        }

    def offer_parents(self, links, subcontractor=None):
        """Offer as parents the sub-processors that may engage `subcontractor` (None: a new one).

        `links` are the ChainLinks of every subcontractor; the shared rule
        (`registry.validation.parent_error`) checks the choice again when the form is sent.
        """
        self.links = links
        self.subcontractor_id = subcontractor.id if subcontractor else None
        current = links.parents.get(self.subcontractor_id)
        excluded = {self.subcontractor_id, *links.descendants(self.subcontractor_id)} \
            if subcontractor else set()
        options = sorted(
            (id_ for id_ in links.names
             if id_ not in excluded and (id_ not in links.offboarded or id_ == current)),
            key=lambda id_: (links.names[id_].casefold(), id_))
        self.parent.choices = [SelectChoice("", _l("Nobody: engaged directly by us")), *(
            SelectChoice(str(id_), links.names[id_] + (
                " (offboarded)" if id_ in links.offboarded else ""))
            for id_ in options)]
        return self

    @classmethod
    def for_subcontractor(cls, subcontractor):
        """Return the form filled from a stored subcontractor (for the edit page)."""
        data = {name: getattr(subcontractor, name) for name in (
            "name", "country", "business_id", "language", "website", "purpose", "tia_on",
            "risk_tier", "handles_card_data", "status", "breach_notice_hours")}
        data.update(
            data_categories="\n".join(subcontractor.data_categories),
            processing_countries=", ".join(subcontractor.processing_countries),
            transfer_mechanism=subcontractor.transfer_mechanism or "",
            contacts="\n".join(subcontractor.contacts),
            parent=str(subcontractor.parent_id) if subcontractor.parent_id else "",
        )
        return cls(formdata=None, data=data)


def clause_field(key):
    """Return the checkbox for one Art. 28(3) clause, labelled with its letter."""
    return BooleanField(clause_choice(key))


class FlowDownForm(FlaskForm):
    """Record a signed flow-down agreement (Art. 28(4)) with its clause checklist and PDF."""

    signed_on = DateField(_l("Signed on"),
                          validators=[InputRequired(DATE_MESSAGE), past_date("signed_on")])
    file = FileField(_l("Signed agreement (PDF)"),
                     validators=[FileOrKept("Choose the signed agreement's PDF.")])
    submit = SubmitField(_l("Record the agreement"))

    def clause_fields(self):
        """Return the clause checkboxes in Art. 28(3) order."""
        return [self[f"clause_{key}"] for key in CLAUSE_KEYS]

    def clauses(self):
        """Return {clause key: ticked?}."""
        return {key: bool(self[f"clause_{key}"].data) for key in CLAUSE_KEYS}


for _key in CLAUSE_KEYS:
    setattr(FlowDownForm, f"clause_{_key}", clause_field(_key))


class OffboardForm(FlaskForm):
    """Offboard a subcontractor: the date it stopped processing data."""

    offboarded_on = DateField(_l("Stopped processing on"),
                              validators=[InputRequired(DATE_MESSAGE), past_date("offboarded_on")])
    submit = SubmitField(_l("Offboard"))

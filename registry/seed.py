"""Reference data every installation needs: attestation types, requirement groups, adequacy.

These rows are data the admin may edit afterwards, so `ensure_reference_data` only adds what is
missing (by code, key or country) and never overwrites an existing row.
"""

from datetime import date

from registry.db import write_transaction
from registry.models import AdequacyDecision, AttestationType, Requirement, RequirementOption


def _type(code, name, description, validity_basis="issued_on", **flags):
    row = {
        "code": code, "name": name, "description": description,
        "validity_basis": validity_basis, "default_validity_months": None,
        "counts_for_requirements": True, "bridge_letter_after_months": None,
        "has_report_period": False, "has_stated_expiry": False, "uploadable": True,
    }
    row.update(flags)
    return row


ATTESTATION_TYPES = (
    _type(code="iso27001", name="ISO/IEC 27001 certificate", has_stated_expiry=True,
          validity_basis="issued_on", default_validity_months=36,
          description="issued_on: the day the current certificate was issued. valid_until: the "
          "expiry printed on the certificate (a 3-year cycle with yearly surveillance audits); "
          "without one it counts for 36 months from issue. Only 2022-version certificates count: "
          "2013-version certificates lapsed on 31 Oct 2025."),
    _type(code="iso27701", name="ISO/IEC 27701 certificate", has_stated_expiry=True,
          validity_basis="issued_on", default_validity_months=36,
          description="issued_on: the day the certificate was issued. valid_until: the expiry on "
          "the certificate, which follows the ISO/IEC 27001 certificate it extends; without one "
          "it counts for 36 months from issue."),
    _type(code="soc2_type1", name="SOC 2 Type I report", counts_for_requirements=False,
          validity_basis="issued_on", default_validity_months=12,
          description="issued_on: the 'as of' date the controls' design was examined. A Type I "
          "report says nothing about operating effectiveness, so it never satisfies a "
          "requirement; it is kept for information for 12 months."),
    _type(code="soc2_type2", name="SOC 2 Type II report", has_report_period=True,
          validity_basis="period_end", default_validity_months=12, bridge_letter_after_months=3,
          description="period_start and period_end: the period whose controls were tested. "
          "issued_on: the report date. It counts until 12 months after period_end; from 3 months "
          "after period_end it also needs a bridge letter, whose end date is "
          "bridge_letter_until."),
    _type(code="isae3402_type2", name="ISAE 3402 Type II report", has_report_period=True,
          validity_basis="period_end", default_validity_months=12, bridge_letter_after_months=3,
          description="period_start and period_end: the period whose controls were tested. "
          "issued_on: the report date. It counts until 12 months after period_end; from 3 months "
          "after period_end it also needs a bridge letter (bridge_letter_until)."),
    _type(code="pci_dss_aoc", name="PCI DSS Attestation of Compliance",
          validity_basis="issued_on", default_validity_months=12,
          description="issued_on: the day the Attestation of Compliance was signed. It must be "
          "revalidated yearly, so it counts for 12 months from that day."),
    _type(code="pentest_report", name="Penetration test report", validity_basis="issued_on",
          default_validity_months=12,
          description="issued_on: the report date. period_start and period_end may record the "
          "test window. It counts for 12 months from the report date."),
    _type(code="security_questionnaire", name="Security questionnaire",
          validity_basis="issued_on", default_validity_months=12,
          description="issued_on: the day the sub-processor completed the questionnaire. It "
          "counts for 12 months from that day."),
    _type(code="cyber_insurance", name="Cyber insurance certificate", has_stated_expiry=True,
          validity_basis="issued_on",
          description="issued_on: the first day of the policy period. valid_until: the last day "
          "of the policy period; the insurance counts only within it."),
    _type(code="dpf_certification", name="EU-US Data Privacy Framework certification",
          has_stated_expiry=True, validity_basis="issued_on",
          description="issued_on: the day the organisation (re-)certified on the Data Privacy "
          "Framework List. valid_until: the next re-certification due date shown there."),
)

SECURITY_CERTIFICATION = ("iso27001", "soc2_type2", "isae3402_type2")
# (key, label, tier, applies to card data, acceptable attestation types)
REQUIREMENTS = (
    ("low_questionnaire", "Security questionnaire", "low", False, ("security_questionnaire",)),
    ("medium_security_certification", "Security certification or Type II report", "medium",
     False, SECURITY_CERTIFICATION),
    ("high_security_certification", "Security certification or Type II report", "high", False,
     SECURITY_CERTIFICATION),
    ("high_pentest", "Penetration test report", "high", False, ("pentest_report",)),
    ("card_data_pci", "PCI DSS Attestation of Compliance", None, True, ("pci_dss_aoc",)),
)

ADEQUACY_DECISIONS = (
    ("AD", date(2010, 10, 19), None, "Andorra (Decision 2010/625/EU)."),
    ("AR", date(2003, 6, 30), None, "Argentina (Decision 2003/490/EC)."),
    ("CA", date(2001, 12, 20), None,
     "Canada: only commercial organisations subject to PIPEDA (Decision 2002/2/EC)."),
    ("FO", date(2010, 3, 5), None, "Faroe Islands (Decision 2010/146/EU)."),
    ("GG", date(2003, 11, 21), None, "Guernsey (Decision 2003/821/EC)."),
    ("IL", date(2011, 1, 31), None, "Israel (Decision 2011/61/EU)."),
    ("IM", date(2004, 4, 28), None, "Isle of Man (Decision 2004/411/EC)."),
    ("JP", date(2019, 1, 23), None,
     "Japan: private-sector organisations under the APPI with the supplementary rules "
     "(Decision (EU) 2019/419)."),
    ("JE", date(2008, 5, 8), None, "Jersey (Decision 2008/393/EC)."),
    ("NZ", date(2012, 12, 19), None, "New Zealand (Decision 2013/65/EU)."),
    ("KR", date(2021, 12, 17), None, "Republic of Korea (Decision (EU) 2022/254)."),
    ("CH", date(2000, 7, 26), None, "Switzerland (Decision 2000/518/EC)."),
    ("GB", date(2021, 6, 28), date(2025, 12, 27),
     "United Kingdom (Decision (EU) 2021/1772, extended by Decision (EU) 2025/1226 until "
     "27 Dec 2025)."),
    ("GB", date(2025, 12, 19), date(2031, 12, 27),
     "United Kingdom: renewed decision, in force until 27 Dec 2031."),
    ("UY", date(2012, 8, 21), None, "Uruguay (Decision 2012/484/EU)."),
    ("US", date(2023, 7, 10), None,
     "United States: only organisations certified under the EU-US Data Privacy Framework "
     "(Decision (EU) 2023/1795)."),
)


def ensure_reference_data():
    """Create the missing attestation types, requirement groups and adequacy decisions."""
    with write_transaction():
        created = _ensure_attestation_types()
        created += _ensure_requirements()
        created += _ensure_adequacy()
    return created


def _ensure_attestation_types():
    existing = {code for (code,) in AttestationType.select(AttestationType.code).tuples()}
    missing = [row for row in ATTESTATION_TYPES if row["code"] not in existing]
    if missing:
        AttestationType.insert_many(missing).execute()
    return len(missing)


def _ensure_requirements():
    existing = {key for (key,) in Requirement.select(Requirement.key).tuples()}
    missing = [row for row in REQUIREMENTS if row[0] not in existing]
    if not missing:
        return 0
    type_ids = dict(AttestationType.select(AttestationType.code, AttestationType.id).tuples())
    for key, label, tier, card_data, codes in missing:
        requirement = Requirement.create(
             key=key, label=label, tier=tier, applies_to_card_data=card_data
        )
        RequirementOption.insert_many(
             [{"requirement": requirement.id, "attestation_type": type_ids[code]}
              for code in codes if code in type_ids]
        ).execute()
    return len(missing)


def _ensure_adequacy():
    # A country can have several decisions over time (the UK's of 2021 and its renewal of 2025):
    # each is known by its country and decision date.
    existing = set(
        AdequacyDecision.select(AdequacyDecision.country_code, AdequacyDecision.decided_on).tuples()
    )
    missing = [
        {"country_code": code, "decided_on": decided, "valid_until": until, "scope_note": note}
        for code, decided, until, note in ADEQUACY_DECISIONS
        if (code, decided) not in existing
    ]
    if missing:
        AdequacyDecision.insert_many(missing).execute()
    return len(missing)

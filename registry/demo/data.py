"""The demo registry as a `dpa-registry/1` document, dated around a given day.

A believable Finnish processor (online stores, reward shops, voucher redemption): most things
are green; a few rows are deliberately wrong so that every finding code appears once.
"""

import hashlib
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from registry.compliance.requests import DEFAULT_FORWARD_DAYS, forward_due_at
from registry.models import CLAUSE_KEYS

# Specimen PDFs attached as the signed copies of the demo's agreements.
SPECIMENS = Path(__file__).resolve().parent / "documents"
SIGNED_DPA = "signed-dpa-specimen.pdf"
SIGNED_FLOW_DOWN = "signed-flow-down-specimen.pdf"

ALL_CLAUSES = dict.fromkeys(CLAUSE_KEYS, True)
STORE = "online store"
REWARDS = "reward shop"
VOUCHERS = "gift-voucher redemption"


def _clauses(*missing):
    return {key: key not in missing for key in CLAUSE_KEYS}


@cache
def specimen(name):
    """Return the document reference of the specimen PDF `name` (by its SHA-256)."""
    digest = hashlib.sha256((SPECIMENS / name).read_bytes()).hexdigest()
    return {"sha256": digest, "filename": name, "media_type": "application/pdf"}


def _controller(key, name, business_id, services, country="FI", ordered_via=None,
                ended_on=None):
    domain = key.removeprefix("c-") + ".example"
    return {
        "key": key, "name": name, "business_id": business_id, "country": country,
        "privacy_contacts": [f"privacy@{domain}"], "services": services,
        "ordered_via": ordered_via, "status": "active" if ended_on is None else "ended",
        "ended_on": ended_on,
    }


def controllers(on):
    """Return the demo controllers (clients of the processor)."""
    return [
        _controller("c-aurora", "Aurora Kauppa Oy", "1572860-0", [STORE]),
        _controller("c-kotileipa", "Kotileipä Oy", "0112038-9", [REWARDS, STORE]),
        _controller("c-pohjolan-energia", "Pohjolan Energia Oy", "2345678-0", [VOUCHERS],
                    ordered_via="Lahjakortti Partners Oy"),
        _controller("c-saaristo", "Saariston Matkat Oy", "1234567-1", [STORE]),
        _controller("c-hameen-urheilu", "Hämeen Urheiluseura ry", "2971355-7", [REWARDS]),
        _controller("c-nordic-apteekki", "Nordic Apteekki Oy", "3089402-5", [STORE]),
        _controller("c-lumi-design", "Lumi Design Oy", "1618033-3", [STORE]),
        _controller("c-vesihuolto", "Vesihuolto Länsi Oy", "1414213-0", [REWARDS]),
        _controller("c-tahti-market", "Tähti Market Oy", "1732050-2", [STORE, REWARDS]),
        _controller("c-svenska-present", "Svenska Presentkort AB", "556677-8899", [VOUCHERS],
                    country="SE"),
        _controller("c-grune-gutscheine", "Grüne Gutscheine GmbH", "HRB 123456", [VOUCHERS],
                    country="DE", ordered_via="Gutschein Vertrieb GmbH"),
        _controller("c-taidemuseo", "Helsingin Taidemuseosäätiö sr", "0201256-6", [VOUCHERS],
                    ordered_via="Museokortti-palvelu Oy"),
        _controller("c-oulun-kirja", "Oulun Kirjakauppa Oy", "2236067-2", [STORE]),
        # A former client: its DPA ended on the same day (see dpas()).
        _controller("c-vanha-asiakas", "Vanha Asiakas Oy", "0987654-3", [STORE],
                    ended_on=on(-120)),
    ]


def _dpa(controller, on, version=1, status="signed", signed=-400, expires=None, review=200,
         authorisation="general", breach_hours=48, clauses=None, objection_days=30,
         terminated=None, at_the_end=None, signed_copy=True, undescribed=()):
    description = {
        "subject_matter": "Operating the controller's web shop, reward shop or vouchers",
        "duration": "For the term of the service agreement",
        "nature_and_purpose": "Hosting, order handling, delivery and customer service",
        "personal_data_types": "Name, e-mail, phone, delivery address, order history",
        "data_subject_categories": "Customers, reward-programme members, voucher holders",
    }
    return {
        "controller": controller, "version": version, "status": status,
        "title": f"Data processing agreement v{version}",
        "signed_on": on(signed) if status != "draft" else None,
        "effective_from": on(signed) if status != "draft" else None,
        "expires_on": on(expires) if expires is not None else None,
        "review_due_on": on(review) if review is not None else None,
        "terminated_on": on(terminated) if terminated is not None else None,
        "return_or_deletion": at_the_end,
        "subprocessor_authorisation": authorisation,
        "objection_period_days": objection_days, "breach_notice_hours": breach_hours,
        "clauses": clauses or ALL_CLAUSES,
        "description": {key: "" if key in undescribed else text
                        for key, text in description.items()},
        "document": specimen(SIGNED_DPA) if signed_copy and status != "draft" else None,
    }


def dpas(on):
    """Return the demo DPAs: most in order, a few expired, expiring, unsigned or incomplete."""
    return [
        _dpa("c-aurora", on, version=1, status="superseded", signed=-1200, review=None),
        _dpa("c-aurora", on, version=2, signed=-300),
        _dpa("c-kotileipa", on, signed=-500, expires=700),
        _dpa("c-pohjolan-energia", on, signed=-250, authorisation="specific"),
        _dpa("c-saaristo", on, signed=-700, expires=20, signed_copy=False),
        _dpa("c-hameen-urheilu", on, signed=-1100, expires=-10),
        _dpa("c-nordic-apteekki", on, status="draft"),
        _dpa("c-lumi-design", on, signed=-90, clauses=_clauses("audits_and_information")),
        _dpa("c-vesihuolto", on, signed=-800, review=-15, undescribed=("duration",)),
        _dpa("c-tahti-market", on, signed=-365, authorisation="specific", breach_hours=36),
        _dpa("c-svenska-present", on, signed=-200, breach_hours=24),
        _dpa("c-grune-gutscheine", on, signed=-150, breach_hours=24, objection_days=14),
        _dpa("c-taidemuseo", on, signed=-420, expires=900, authorisation="specific"),
        _dpa("c-oulun-kirja", on, signed=-60),
        _dpa("c-vanha-asiakas", on, status="terminated", signed=-1500, terminated=-120,
             at_the_end="return_then_deletion"),
    ]


def instructions(on):
    """Return the demo instructions: versioned, acknowledged except one recent change."""
    def instruction(controller, version, title, text, received, acknowledged=True,
                    source="E-mail from the controller's DPO"):
        return {
            "controller": controller, "version": version, "title": title, "text": text,
            "source": source, "received_on": on(received), "effective_from": on(received + 1),
            "acknowledged_on": on(received + 2) if acknowledged else None,
        }

    retention = "Customer order data retention"
    return [
        instruction("c-aurora", 1, retention, "Keep order data for 6 years, then delete.", -300),
        instruction("c-aurora", 2, retention,
                    "Keep order data for 6 years; anonymise abandoned carts after 90 days.", -40),
        instruction("c-kotileipa", 1, "Reward points expiry",
                    "Delete reward-programme members inactive for 24 months.", -480),
        instruction("c-pohjolan-energia", 1, "Voucher holder data",
                    "Collect only the voucher code and e-mail; no addresses.", -240,
                    source="DPA annex 2"),
        instruction("c-vesihuolto", 1, "Newsletter consent",
                    "Send the monthly newsletter only to members who opted in.", -700),
        instruction("c-vesihuolto", 2, "Newsletter consent",
                    "Send the newsletter only to opted-in members; stop SMS reminders.", -12,
                    acknowledged=False, source="Ticket SUP-4821"),
        instruction("c-taidemuseo", 1, "Museum card holders",
                    "Do not export card-holder lists to any third party.", -400),
    ]


def _subcontractor(key, name, country, tier, purpose, data, locations, mechanism=None,
                   status="active", flow_down=-300, flow_down_clauses=None, card_data=False,
                   breach_hours=24, tia=None, on=None, business_id=None, signed_copy=True,
                   parent=None):
    domain = key.removeprefix("s-") + ".example"
    return {
        "key": key, "name": name, "business_id": business_id, "country": country,
        "tier": tier, "status": status, "purpose": purpose, "data_categories": data,
        "processing_countries": locations, "transfer_mechanism": mechanism,
        "tia_on": on(tia) if tia is not None else None,
        "website": f"https://www.{domain}", "handles_card_data": card_data,
        "breach_notice_hours": breach_hours, "contacts": [f"security@{domain}"],
        "parent": parent,
        "flow_down": None if flow_down is None else {
            "signed_on": on(flow_down), "clauses": flow_down_clauses or ALL_CLAUSES,
            "document": specimen(SIGNED_FLOW_DOWN) if signed_copy else None,
        },
    }


CONTACT = ["name", "e-mail", "phone"]
ORDERS = ["name", "e-mail", "delivery address", "order history"]


def subcontractors(on):
    """Return the demo sub-processors: hosting, payment, e-mail, SMS, support, analytics ..."""
    s = _subcontractor
    return [
        s("s-pilvipalvelu", "Pilvipalvelu Hosting Oy", "FI", "high", "Hosting and databases",
          ORDERS, ["FI"], on=on, business_id="2345678-0"),
        s("s-maksuvalitys", "Maksuvälitys Oy", "FI", "high", "Card and bank payments",
          ["name", "payment card data", "order amount"], ["FI"], card_data=True, on=on,
          business_id="1850622-9"),
        s("s-postiljooni", "Postiljooni Email Delivery AB", "SE", "medium",
          "Transactional e-mail delivery", CONTACT, ["SE"], on=on),
        s("s-tekstari", "Tekstari SMS Oy", "FI", "low", "SMS order notifications",
          ["phone"], ["FI"], on=on, business_id="2604917-9"),
        s("s-helpdesk", "HelpDesk Cloud Inc.", "US", "medium", "Customer-support ticketing",
          CONTACT + ["order history"], ["US", "IE"], mechanism="dpf", on=on),
        s("s-analytiikka", "Analytiikka Pro Oy", "FI", "low", "Privacy-friendly web analytics",
          ["pseudonymous visitor id"], ["FI"], on=on, business_id="1123581-7",
          breach_hours=None),
        s("s-varmuuskopio", "Varmuuskopio Oy", "FI", "medium", "Encrypted off-site backups",
          ORDERS, ["FI"], on=on, business_id="2213455-2"),
        s("s-painotalo", "Painotalo Kirjain Oy", "FI", "low", "Printing voucher letters",
          ["name", "postal address"], ["FI"], on=on, business_id="3377610-4",
          signed_copy=False),
        s("s-edgecache", "EdgeCache Ltd", "GB", "medium", "Content delivery network",
          ["IP address"], ["GB", "DE"], mechanism="adequacy", on=on),
        s("s-lingua", "Lingua Services Pvt Ltd", "IN", "low", "Translating support replies",
          CONTACT, ["IN"], on=on),
        s("s-kehitystiimi", "Kehitystiimi Oy", "FI", "medium", "Development and 2nd-line support",
          ORDERS, ["FI"], flow_down=None, on=on, business_id="1998877-6"),
        s("s-baltic-care", "Asiakaspalvelu Baltic UAB", "LT", "medium",
          "Telephone customer service", CONTACT, ["LT"], on=on,
          flow_down_clauses=_clauses("deletion_or_return")),
        s("s-oldsms", "OldSMS Corp", "US", "low", "Legacy SMS gateway (being replaced)",
          ["phone"], ["US"], mechanism="scc_2010", on=on),
        s("s-logistiikka", "Logistiikka Keskus Oy", "FI", "medium", "Voucher and parcel delivery",
          ["name", "delivery address", "phone"], ["FI"], breach_hours=72, on=on,
          business_id="2024066-9"),
        s("s-chatbotti", "Chatbotti Oy", "FI", "medium", "Chat assistant on the web shops",
          CONTACT, ["FI"], on=on, business_id="2971355-7"),
        s("s-fraudshield", "Fraud Shield SAS", "FR", "high", "Payment fraud screening",
          ["name", "IP address", "order amount"], ["FR"], status="proposed", on=on),
        s("s-adtech", "AdTech Insights Ltd", "IE", "low", "Marketing campaign analytics",
          ["pseudonymous visitor id", "e-mail"], ["IE"], on=on),
        s("s-vanha-hosting", "Vanha Hosting Oy", "FI", "medium", "Former hosting provider",
          ORDERS, ["FI"], status="offboarded", on=on, business_id="1414213-0"),
        # Second tier: engaged by Pilvipalvelu (every controller authorised it), and by Lingua
        # (Hämeen Urheiluseura, whose data Lingua translates, never did).
        s("s-konesali", "Konesali Kallio Oy", "FI", "medium",
          "Data-centre space and hardware for Pilvipalvelu", ORDERS, ["FI"], on=on,
          business_id="2718282-8", parent="s-pilvipalvelu"),
        s("s-oikoluku", "Oikoluku Osuuskunta", "FI", "low", "Proofreading Lingua's translations",
          CONTACT, ["FI"], on=on, business_id="3141593-8", parent="s-lingua"),
    ]


def engagements(on):
    """Return who processes whose data: mostly authorised, a few notified, objected or not."""
    def engage(subcontractor, controller, on_list=True, notified=None, objected=None,
               approved=None, withdrawn=None, proposed=None, notes=""):
        return {
            "subcontractor": subcontractor, "controller": controller,
            "on_list_at_signing": on_list,
            "proposed_on": on(proposed) if proposed is not None else None,
            "notified_on": on(notified) if notified is not None else None,
            "objection_deadline": None,
            "objected_on": on(objected) if objected is not None else None,
            "approved_on": on(approved) if approved is not None else None,
            "withdrawn_on": on(withdrawn) if withdrawn is not None else None,
            "notes": notes,
        }

    later = {"on_list": False}
    return [
        engage("s-pilvipalvelu", "*"),
        engage("s-konesali", "*"),
        engage("s-maksuvalitys", "*"),
        engage("s-postiljooni", "*"),
        engage("s-tekstari", "c-aurora"),
        *(engage("s-helpdesk", c, proposed=-230, notified=-200, **later)
          for c in ("c-aurora", "c-saaristo", "c-kotileipa")),
        engage("s-analytiikka", "c-aurora"),
        engage("s-analytiikka", "c-lumi-design"),
        engage("s-varmuuskopio", "c-lumi-design"),
        engage("s-oldsms", "c-lumi-design"),
        engage("s-chatbotti", "c-pohjolan-energia", proposed=-260, approved=-240,
               notes=f"Written approval of {on(-240)}: signed letter in the contract archive, "
               "ref. PE-2025-17", **later),
        # Approved in writing, but the approval is on record without its document.
        engage("s-logistiikka", "c-tahti-market", proposed=-50, approved=-40, **later),
        engage("s-edgecache", "c-kotileipa"),
        engage("s-painotalo", "c-hameen-urheilu"),
        engage("s-lingua", "c-hameen-urheilu"),
        engage("s-baltic-care", "c-hameen-urheilu"),
        engage("s-kehitystiimi", "c-tahti-market"),
        engage("s-logistiikka", "c-svenska-present"),
        engage("s-chatbotti", "c-tahti-market", proposed=-8, notified=-5, **later),
        engage("s-fraudshield", "c-aurora", proposed=-12, notified=-10, **later),
        engage("s-fraudshield", "c-kotileipa", proposed=-12, notified=-10, **later),
        engage("s-adtech", "c-svenska-present", proposed=-45, notified=-40, objected=-25,
               **later),
        # Objected after its 30-day period ran out: recorded and flagged, not applied.
        engage("s-adtech", "c-lumi-design", proposed=-70, notified=-60, objected=-20, **later),
        engage("s-vanha-hosting", "c-aurora", withdrawn=-100),
        # Edge caching of Aurora's store ended 12 days ago: its deletion is pending.
        engage("s-edgecache", "c-aurora", withdrawn=-12,
               notes="Aurora moved its store to a CDN of its own"),
        # Svenska Presentkort's SMS moved to Logistiikka's notices 45 days ago: OldSMS has not
        # certified its deletion, 15 days late.
        engage("s-oldsms", "c-svenska-present", withdrawn=-45),
    ]


def attestations(on):
    """Return the demo evidence: certificates and reports with real-looking dates."""
    def evidence(subcontractor, kind, issuer, reference, issued, review="accepted",
                 valid_until=None, period=None, bridge_until=None, version=None,
                 reason=""):
        return {
            "subcontractor": subcontractor, "type": kind, "issuer": issuer,
            "reference": reference, "scope": "Services provided to the processor",
            "issued_on": on(issued),
            "period_start": on(period[0]) if period else None,
            "period_end": on(period[1]) if period else None,
            "valid_until": on(valid_until) if valid_until is not None else None,
            "bridge_letter_until": on(bridge_until) if bridge_until is not None else None,
            "standard_version": version, "review": review, "rejection_reason": reason,
        }

    iso, pentest, questionnaire = "iso27001", "pentest_report", "security_questionnaire"
    soc2 = "soc2_type2"
    return [
        evidence("s-pilvipalvelu", iso, "Kiwa Inspecta", "ISMS-2041", -400, valid_until=695,
                 version="2022"),
        evidence("s-pilvipalvelu", pentest, "Nixu Oyj", "PT-2026-114", -100),
        evidence("s-maksuvalitys", iso, "DNV", "C-778812", -200, valid_until=895,
                 version="2022"),
        evidence("s-maksuvalitys", pentest, "WithSecure", "WS-PT-5521", -60),
        evidence("s-maksuvalitys", "pci_dss_aoc", "Nixu Oyj (QSA)", "AOC-4.0.1-2026", -90),
        evidence("s-postiljooni", soc2, "KPMG AB", "SOC2-PED-2026", -30, period=(-425, -60)),
        evidence("s-tekstari", questionnaire, "Tekstari SMS Oy", "SQ-2025", -340),
        evidence("s-tekstari", questionnaire, "Tekstari SMS Oy", "SQ-2026-scan", -3,
                 review="rejected", reason="The scanned copy is unreadable; please upload "
                 "the signed PDF."),
        evidence("s-helpdesk", soc2, "Deloitte & Touche LLP", "HDC-SOC2-2026", -130,
                 period=(-525, -160), bridge_until=30),
        evidence("s-helpdesk", "soc2_type1", "Deloitte & Touche LLP", "HDC-SOC2-T1", -100),
        evidence("s-helpdesk", "dpf_certification", "U.S. Department of Commerce",
                 "DPF-HDC-0042", -150, valid_until=215),
        evidence("s-analytiikka", questionnaire, "Analytiikka Pro Oy", "SQ-2026", -200),
        evidence("s-analytiikka", questionnaire, "Analytiikka Pro Oy", "SQ-2026b", -2,
                 review="pending"),
        evidence("s-varmuuskopio", iso, "Bureau Veritas", "BV-FI-3310", -1110,
                 valid_until=-15, version="2022"),
        evidence("s-edgecache", iso, "BSI", "IS 771234", -300, valid_until=795,
                 version="2022"),
        evidence("s-edgecache", soc2, "PwC LLP", "EC-SOC2-2025", -100, period=(-485, -120)),
        evidence("s-lingua", questionnaire, "Lingua Services Pvt Ltd", "SQ-LS-1", -100),
        evidence("s-kehitystiimi", iso, "Kiwa Inspecta", "ISMS-1180", -900, valid_until=150,
                 version="2013"),
        evidence("s-kehitystiimi", iso, "Kiwa Inspecta", "ISMS-1180-R", -200, valid_until=895,
                 version="2022"),
        evidence("s-baltic-care", iso, "TÜV SÜD", "TS-LT-0441", -500, valid_until=595,
                 version="2022"),
        evidence("s-oldsms", questionnaire, "OldSMS Corp", "SQ-OLD", -120),
        evidence("s-logistiikka", iso, "DNV", "C-991100", -150, valid_until=945,
                 version="2022"),
        evidence("s-chatbotti", iso, "Kiwa Inspecta", "ISMS-3012", -50, valid_until=1045,
                 version="2022"),
        evidence("s-fraudshield", iso, "AFNOR", "AF-27001-882", -250, valid_until=845,
                 version="2022"),
        evidence("s-fraudshield", pentest, "Synacktiv", "SYN-2026-07", -40),
        evidence("s-adtech", questionnaire, "AdTech Insights Ltd", "SQ-ADT", -90),
        evidence("s-konesali", iso, "DNV", "C-314159", -280, valid_until=815, version="2022"),
        evidence("s-oikoluku", questionnaire, "Oikoluku Osuuskunta", "SQ-OIK", -60),
    ]


def incidents(today, zone):
    """Return the demo's one open incident: Pilvipalvelu reported an exposed export late.

    It became known at midnight before `today` (in `zone`): on `today` the notice to Svenska
    Presentkort (DPA: 24 h) is overdue, the one to Aurora (48 h) is due until midnight, and
    Grüne Gutscheine (24 h) was notified in time.
    """
    midnight = datetime.combine(today, datetime.min.time(), tzinfo=zone).astimezone(UTC)
    aware = midnight - timedelta(days=1)

    def at(hours):
        return (aware + timedelta(hours=hours)).astimezone(zone).isoformat()

    def notice(controller, hours, notified=None):
        domain = controller.removeprefix("c-") + ".example"
        return {"controller": controller, "breach_notice_hours": hours, "due_at": at(hours),
                "notified_at": at(notified) if notified is not None else None,
                "recipients": [f"privacy@{domain}"] if notified is not None else []}

    return [{
        "reference": f"INC-{aware.astimezone(zone).year}-001",
        "title": "Order export readable from a public storage link",
        "aware_at": at(0), "detected_by": "subcontractor", "subcontractor": "s-pilvipalvelu",
        "subcontractor_aware_at": at(-40), "affected_scope": "controllers",
        "nature": "A nightly export of three web shops' orders was left in a storage bucket "
                  "at Pilvipalvelu that anyone with its link could read, for two hours.",
        "data_subject_categories": "Web-shop customers", "data_subject_count": 340,
        "record_categories": "Names, e-mail addresses, delivery addresses, ordered items",
        "record_count": 410,
        "likely_consequences": "Customers' addresses and purchases seen by strangers; "
                               "phishing attempts are likely.",
        "measures": "Link revoked and bucket made private; access logs show two downloads, "
                    "both traced and deleted; exports now expire after an hour.",
        "contact_point": "Data protection officer, dpo@processor.example, +358 9 123 4567",
        "closed_at": None,
        "notices": [notice("c-aurora", 48), notice("c-grune-gutscheine", 24, notified=5),
                    notice("c-svenska-present", 24)],
        "messages": [{"controller": "c-grune-gutscheine", "kind": "initial", "text": "",
                      "recipients": ["privacy@grune-gutscheine.example"], "sent_at": at(5),
                      "message_id": "<incident-demo-grune-gutscheine@processor.example>",
                      "error": ""}],
    }]


def subject_requests(today, zone):
    """Return the demo's data-subject requests: an access request to Aurora forwarded on the
    day it came, two days before `today`; an erasure request for Svenska Presentkort that came
    a week ago and was never forwarded (red); and an objection phoned in at midnight whose
    controller is still to be identified (amber)."""
    midnight = datetime.combine(today, datetime.min.time(), tzinfo=zone)

    def request(reference, days_ago, hour, controller, request_type, forwarded_to=(),
                **values):
        received = (midnight - timedelta(days=days_ago) + timedelta(hours=hour)).astimezone(zone)
        forwarded_at = (received + timedelta(hours=3)).astimezone(zone) if forwarded_to else None
        return {"reference": f"DSR-{received.year}-{reference}",
                "received_at": received.isoformat(), "controller": controller,
                "request_type": request_type, "forward_days": DEFAULT_FORWARD_DAYS,
                "due_at": forward_due_at(received, DEFAULT_FORWARD_DAYS).isoformat(),
                "forwarded_at": forwarded_at.isoformat() if forwarded_at else None,
                "forwarded_to": list(forwarded_to), "instruction": "", "assistance_tasks": "",
                "closed_at": None, **values}

    forwarded = request(
        "001", 2, 10, "c-aurora", "access", forwarded_to=["privacy@aurora.example"],
        channel="email", subject_reference="Customer number 100482",
        details="Asks for a copy of the order history and the newsletter consent.",
        instruction="Aurora answers the customer; send them the order export by Friday.",
        assistance_tasks="Export the order history of customer 100482 – to do")
    overdue = request("002", 7, 14, "c-svenska-present", "erasure", channel="web_form",
                      subject_reference="Gift card 6012-XXXX-4471",
                      details="Asks us to delete the card holder's account.")
    unidentified = request("003", 0, 0, None, "objection", channel="phone", forward_days=None,
                           subject_reference="Caller with loyalty card ending 0931",
                           details="Objects to marketing e-mails; did not say which shop.")
    return [forwarded, overdue, unidentified]


def assistance_requests(on):
    """Return the demo's open assistance requests: Kotileipä's DPIA, due in nine days, and
    Nordic Apteekki's security questions, six days overdue."""
    return [
        {"reference": f"AR-{on(-5)[:4]}-001", "kind": "dpia", "controller": "c-kotileipa",
         "received_on": on(-5), "due_on": on(9),
         "summary": "For the DPIA of the online bakery shop: describe the processing, the "
                    "security measures and the sub-processors.",
         "answered_on": None, "answer": ""},
        {"reference": f"AR-{on(-20)[:4]}-002", "kind": "security_information",
         "controller": "c-nordic-apteekki", "received_on": on(-20), "due_on": on(-6),
         "summary": "Fill in our supplier security questionnaire (42 questions).",
         "answered_on": None, "answer": ""},
    ]


def return_or_deletion(on):
    """Return the evidence of returns and deletions: the former client's data was returned and
    deleted by us and by the four sub-processors that held it (every controller's)."""
    done = {"end": "contract", "controller": "c-vanha-asiakas", "trigger_on": on(-120),
            "certificate_on": on(-100), "completed_on": on(-101),
            "certificate": specimen("deletion-certificate-specimen.pdf"), "notes": ""}
    return [{**done, "subcontractor": holder}
            for holder in (None, "s-konesali", "s-maksuvalitys", "s-pilvipalvelu",
                           "s-postiljooni")]


def demo_document(today, zone=None):
    """Return the whole demo registry as a `dpa-registry/1` document, dated around `today`
    (its incident's instants in `zone`, default Europe/Helsinki)."""
    def on(days):
        return (today + timedelta(days=days)).isoformat()

    return {
        "format": "dpa-registry/1",
        "controllers": controllers(on),
        "dpas": dpas(on),
        "instructions": instructions(on),
        "subcontractors": subcontractors(on),
        "engagements": engagements(on),
        "attestations": attestations(on),
        "incidents": incidents(today, zone or ZoneInfo("Europe/Helsinki")),
        "subject_requests": subject_requests(today, zone or ZoneInfo("Europe/Helsinki")),
        "assistance_requests": assistance_requests(on),
        "return_or_deletion": return_or_deletion(on),
    }

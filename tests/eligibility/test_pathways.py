"""Table-driven pathway cases: each row cites the source of the rule it exercises.

The `source` column must be the URL the verdict itself cites (the rule's or one of its steps'),
so a row cannot pass by citing a source the engine did not use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest

from matcher.domain.records import CandidateRecord, RequisitionRecord
from matcher.eligibility import Eligibility, assess

TODAY = date(2026, 11, 27)
IN_120_DAYS = TODAY + timedelta(days=120)

ARRT_INTL = "https://www.arrt.org/earn-arrt-credentials/how-to-apply/international-Inquiries"
CA_CRT = "https://www.onetonline.org/link/licenseinfo?id=06-297"
TMB = "https://tmb.state.tx.us/page/medical-radiologic-technology-board"
NY = "https://regs.health.ny.gov/content/section-8910-general-provisions"
OR = "https://oregon.public.law/rules/oar_337-010-0007"
NMTCB = "https://nmtcb.org/faqs/certification"
ARMRIT = "https://www.cool.army.mil/search/CERT_MRIT193.htm"
HCPC = "https://www.hcpc-uk.org/registration/getting-on-the-register/international-applications/how-to-apply/"
HCPC_LEX = "https://www.lexisnexis.co.uk/legal/commentary/halsburys-laws-of-england/medical-professions/radiographers"
HCPC_ENG = "https://www.envertiz.com/hcpc-registration"
BMUS = "https://www.bmus.org/education-and-cpd/careers-training/sonographer-regulation/"
CORU = "https://www.coru.ie/health-and-social-care-professionals/international-qualifications/recognition-timelines/"
CORU_LANG = "https://www.coru.ie/health-and-social-care-professionals/registration/registration-requirements/language/"
MRPBA_QUAL = "https://www.medicalradiationpracticeboard.gov.au/Registration/Qualifications.aspx"
MRPBA_CRIT = "https://medicalradiationpracticeboard.gov.au/Registration/Overseas-qualified-practitioners/Assessment-criteria.aspx"
AHPRA_ENG = (
    "https://pinoyau.info/discussion/4755/aphra-july-2015-new-guideline-on-english-language-skills"
)
ASAR_FAQ = "https://www.asar.com.au/resources/frequently-asked-questions"
ASAR_ABOUT = "https://www.asar.com.au/about-asar/about-asar/"
MRTB = "https://www.mrtboard.org.nz/for-practitioners/applying-for-registration/overseas-trained-applicants/"
CAMRT = "https://www.camrt.ca/certification-4/internationally-educated-medical-radiation-technologists-iemrts/assessment-process/"
CAMRT_LANG = "https://www.camrt.ca/certification-4/internationally-educated-medical-radiation-technologists-iemrts/language-fluency-requirements/"
CMRITO = "https://cmrto.microsoftcrmportals.com/applicants/international-applicants/cmrito-registration-assessment-process"
SC_ALT = "https://sonographycanada.ca/certification/alternate-pathway-applicants"
HPCSA = "https://studyres.com/doc/1567398/1-form-301-health-professions-council-of-south"
PRC = "https://jur.ph/law/summary/radiologic-technology-act-of-1992"
PQR = "https://tr.scribd.com/document/399881730/Unified-Pqr-Version-2-New-2017"
DHA = "https://nursingmanthra.com/a-step-by-step-guide-to-becoming-a-licensed-radiology-technician-in-dubai"
SCFHS = "https://www.scfhs.org.sa/en/registration/faq/Pages/default.aspx"
MTBG_46 = "https://gesetze.legal/bund/mtbg/46"
DE_LANG = "https://service.berlin.de/dienstleistung/331454/en/"
FR_EU = "https://www.guichetdusavoir.org/question/voir/138570"
FR_NON_EU = "https://juriblio.fr/arretes/arrete-du-14-juin-2012/160380216/titre-ii"


def ielts(
    overall: float, *, writing: float | None = None, each: float | None = None, taken: int = 60
) -> dict[str, Any]:
    band = each if each is not None else overall
    return {
        "language": "en",
        "test": {
            "name": "IELTS_ACADEMIC",
            "overall": overall,
            "listening": band,
            "reading": band,
            "writing": writing if writing is not None else band,
            "speaking": band,
            "taken_on": (TODAY - timedelta(days=taken)).isoformat(),
        },
    }


def candidate(
    *credentials: tuple[str, str, str] | tuple[str, str, str, date],
    trained: str | None = None,
    languages: tuple[dict[str, Any], ...] = (),
    years: float = 5.0,
) -> CandidateRecord:
    creds = [
        {"body": c[0], "credential": c[1], "jurisdiction": c[2]}
        | ({"valid_until": c[3].isoformat()} if len(c) == 4 else {})
        for c in credentials
    ]
    country = trained or (credentials[0][2][:2] if credentials else "IN")
    return CandidateRecord.model_validate(
        {
            "external_id": "C1",
            "full_name": "Test Person",
            "country": country,
            "title": "Radiographer",
            "years_experience": years,
            "credentials": creds,
            "education": [{"level": "bachelor", "country": country}],
            "languages": list(languages),
        }
    )


def requisition(
    country: str,
    region: str | None = None,
    *,
    occupation: str | None = "radiographer",
    start: date | None = IN_120_DAYS,
    weeks: int | None = None,
    modalities: tuple[str, ...] = (),
) -> RequisitionRecord:
    return RequisitionRecord.model_validate(
        {
            "external_id": "R1",
            "facility": {"external_id": "F1", "name": "Hospital", "country": country}
            | ({"region": region} if region else {}),
            "title": occupation or "Radiographer",
            "occupation": occupation,
            "start_date": start.isoformat() if start else None,
            "duration_weeks": weeks,
            "required_modalities": list(modalities),
        }
    )


@dataclass(frozen=True)
class Case:
    id: str
    candidate: CandidateRecord
    requisition: RequisitionRecord
    status: str
    rule: str | None
    source: str
    pathway_status: str | None = None
    lead: int | str | None = "any"
    kinds: tuple[str, ...] | None = None
    warning: str | None = None
    note: str | None = None
    fees: tuple[tuple[float, str], ...] = field(default=())


ARRT_R = ("ARRT", "R", "US")
HCPC_DR = ("HCPC", "diagnostic_radiographer", "GB")
PRC_RT = ("PRC", "radiologic_technologist", "PH")
MRTB_MIT = ("MRTB", "medical_imaging_technologist", "NZ")
CAMRT_NM = ("CAMRT", "RTNM", "CA")
ARDMS_RDMS = ("ARDMS", "RDMS", "US")
IELTS_7 = ielts(7.0)

CASES = [
    # --- United States: California
    Case(
        "arrt-r-to-california",
        candidate(ARRT_R),
        requisition("US", "US-CA"),
        "eligible_by_start",
        "us-ca-arrt-r-diagnostic-crt",
        CA_CRT,
        "conditional",
        lead=30,
        kinds=("licence_application",),
        fees=((112, "USD"),),
    ),
    Case(
        "arrt-r-to-california-starting-too-soon",
        candidate(ARRT_R),
        requisition("US", "US-CA", start=TODAY + timedelta(days=10)),
        "eligible_after_start",
        "us-ca-arrt-r-diagnostic-crt",
        CA_CRT,
        lead=30,
    ),
    Case(
        "arrt-r-to-california-no-start-date-means-asap",
        candidate(ARRT_R),
        requisition("US", "US-CA", start=None),
        "eligible_after_start",
        "us-ca-arrt-r-diagnostic-crt",
        CA_CRT,
        lead=30,
    ),
    Case(
        "arrt-r-to-california-fluoroscopy-exam",
        candidate(ARRT_R),
        requisition("US", "US-CA", modalities=("fluoroscopy",)),
        "unknown",
        "us-ca-arrt-r-diagnostic-crt",
        CA_CRT,
        lead=None,
        kinds=("licence_application", "exam"),
    ),
    Case(
        "arrt-r-to-california-fluoroscopy-known-steps-already-overrun",
        candidate(ARRT_R),
        requisition("US", "US-CA", modalities=("fluoroscopy",), start=TODAY + timedelta(days=10)),
        "eligible_after_start",
        "us-ca-arrt-r-diagnostic-crt",
        CA_CRT,
        lead=None,
        warning="the known steps alone take 30 days",
    ),
    Case(
        "arrt-r-to-california-mammography",
        candidate(ARRT_R),
        requisition("US", "US-CA", modalities=("mammography",)),
        "eligible_by_start",
        "us-ca-arrt-r-diagnostic-crt",
        CA_CRT,
        lead=60,
        kinds=("licence_application", "licence_application"),
    ),
    Case(
        "arrt-t-to-california",
        candidate(("ARRT", "T", "US")),
        requisition("US", "US-CA", occupation="radiation_therapist"),
        "eligible_by_start",
        "us-ca-arrt-t-therapeutic-crt",
        CA_CRT,
        lead=30,
    ),
    Case(
        "california-crt-holder-home",
        candidate(("CDPH", "CRT", "US-CA")),
        requisition("US", "US-CA"),
        "eligible_now",
        "home:CDPH:CRT",
        CA_CRT,
        "direct",
        lead=0,
    ),
    Case(
        "california-crt-expired-needs-renewal",
        candidate(("CDPH", "CRT", "US-CA", TODAY - timedelta(days=5))),
        requisition("US", "US-CA"),
        "unknown",
        "home:CDPH:CRT",
        CA_CRT,
        kinds=("registration",),
        warning="has expired",
    ),
    Case(
        "ardms-to-california-unknown",
        candidate(ARDMS_RDMS),
        requisition("US", "US-CA", occupation="sonographer"),
        "unknown",
        "us-ca-other-occupations-unknown",
        CA_CRT,
        "unknown",
    ),
    Case(
        "arrt-holder-us-without-a-state",
        candidate(ARRT_R),
        requisition("US"),
        "eligible_now",
        "us-arrt-holder",
        "https://www.arrt.org/Registration/Certification-vs-Registration",
        "direct",
        note="names none",
    ),
    # --- Occupation not given: what the candidate's credentials cover decides
    Case(
        "hcpc-therapeutic-radiographer-to-california-occupation-unknown",
        candidate(("HCPC", "therapeutic_radiographer", "GB")),
        requisition("US", "US-CA", occupation=None),
        "ineligible",
        "us-arrt-programme-degree-recognised",
        ARRT_INTL,
    ),
    Case(
        "ardms-to-california-occupation-unknown",
        candidate(ARDMS_RDMS),
        requisition("US", "US-CA", occupation=None),
        "unknown",
        "us-ca-other-occupations-unknown",
        CA_CRT,
    ),
    Case(
        "arrt-r-to-california-occupation-unknown",
        candidate(ARRT_R),
        requisition("US", "US-CA", occupation=None),
        "eligible_by_start",
        "us-ca-arrt-r-diagnostic-crt",
        CA_CRT,
        lead=30,
    ),
    # --- United States: foreign-trained (ARRT requires an ARRT-approved programme)
    Case(
        "hcpc-radiographer-to-us-ineligible",
        candidate(HCPC_DR),
        requisition("US", "US-CA"),
        "ineligible",
        "us-arrt-programme-degree-recognised",
        ARRT_INTL,
        "not_recognised",
        kinds=("education_programme", "exam"),
    ),
    Case(
        "hcpc-radiographer-to-texas-ineligible",
        candidate(HCPC_DR),
        requisition("US", "US-TX"),
        "ineligible",
        "us-arrt-programme-degree-recognised",
        ARRT_INTL,
    ),
    Case(
        "philippine-rrt-to-new-york-ineligible",
        candidate(PRC_RT),
        requisition("US", "US-NY"),
        "ineligible",
        "us-arrt-programme-degree-evaluation",
        ARRT_INTL,
        kinds=("assessment", "education_programme", "exam"),
    ),
    Case(
        "italian-tsrm-to-us-ineligible",
        candidate(("FNO_TSRM_PSTRP", "TSRM", "IT")),
        requisition("US", "US-CA"),
        "ineligible",
        "us-arrt-programme-degree-evaluation",
        ARRT_INTL,
    ),
    Case(
        "camrt-radiographer-to-oregon-ineligible",
        candidate(("CAMRT", "RTR", "CA")),
        requisition("US", "US-OR"),
        "ineligible",
        "us-arrt-programme-degree-recognised",
        ARRT_INTL,
    ),
    Case(
        "camrt-nm-to-oregon-via-nmtcb",
        candidate(CAMRT_NM),
        requisition("US", "US-OR", occupation="nuclear_medicine_technologist"),
        "unknown",
        "us-nmtcb-recognised-oversight",
        NMTCB,
        "conditional",
        kinds=("exam",),
    ),
    Case(
        "hcpc-mri-to-us-via-armrit",
        candidate(HCPC_DR),
        requisition("US", occupation="mri_technologist"),
        "unknown",
        "us-armrit-foreign-mri",
        ARMRIT,
        "conditional",
    ),
    # --- United States: Texas, New York, Oregon
    Case(
        "camrt-nm-to-texas",
        candidate(CAMRT_NM),
        requisition("US", "US-TX", occupation="nuclear_medicine_technologist"),
        "unknown",
        "us-tx-nm-via-nmtcb",
        NMTCB,
        "conditional",
        kinds=("exam", "licence_application", "exam"),
    ),
    Case(
        "arrt-n-to-texas",
        candidate(("ARRT", "N", "US")),
        requisition("US", "US-TX", occupation="nuclear_medicine_technologist"),
        "unknown",
        "us-tx-mrt-general",
        TMB,
        "conditional",
        fees=((80, "USD"),),
    ),
    Case(
        "rct-sonographer-to-texas-unknown",
        candidate(("RCT", "sonographer", "GB")),
        requisition("US", "US-TX", occupation="sonographer"),
        "unknown",
        "us-tx-other-occupations-unknown",
        TMB,
    ),
    Case(
        "nmtcb-to-new-york",
        candidate(("NMTCB", "CNMT", "US")),
        requisition("US", "US-NY", occupation="nuclear_medicine_technologist"),
        "unknown",
        "us-ny-licence",
        NY,
        "conditional",
        fees=((120, "USD"),),
    ),
    Case(
        "ardms-to-oregon",
        candidate(ARDMS_RDMS),
        requisition("US", "US-OR", occupation="sonographer"),
        "unknown",
        "us-or-recognised-credential",
        OR,
        "conditional",
    ),
    Case(
        "armrit-to-oregon",
        candidate(("ARMRIT", "MRIT", "US")),
        requisition("US", "US-OR", occupation="mri_technologist"),
        "unknown",
        "us-or-recognised-credential",
        OR,
    ),
    # --- United Kingdom
    Case(
        "arrt-r-to-uk-needs-an-english-test",
        candidate(ARRT_R),
        requisition("GB"),
        "unknown",
        "gb-hcpc-international",
        HCPC,
        "conditional",
        lead=None,
        kinds=("assessment", "language_test"),
        fees=((678.38, "GBP"),),
        warning="HCPC: no accepted result",
    ),
    Case(
        "philippine-rrt-to-uk-with-ielts",
        candidate(PRC_RT, languages=(IELTS_7,)),
        requisition("GB"),
        "eligible_by_start",
        "gb-hcpc-international",
        HCPC,
        lead=84,
    ),
    Case(
        "philippine-rrt-to-uk-writing-short",
        candidate(PRC_RT, languages=(ielts(7.0, writing=6.0),)),
        requisition("GB"),
        "unknown",
        "gb-hcpc-international",
        HCPC_ENG,
        kinds=("assessment", "language_test"),
        warning="writing 6 is 0.5 below the minimum 6.5",
    ),
    Case(
        "south-african-to-uk-with-toefl",
        candidate(
            ("HPCSA", "diagnostic_radiographer", "ZA"),
            languages=({"language": "en", "test": {"name": "TOEFL_IBT", "overall": 100}},),
        ),
        requisition("GB"),
        "eligible_by_start",
        "gb-hcpc-international",
        HCPC,
        lead=84,
    ),
    Case(
        "uk-radiographer-at-home",
        candidate(HCPC_DR),
        requisition("GB"),
        "eligible_now",
        "home:HCPC:diagnostic_radiographer",
        HCPC_LEX,
        "direct",
    ),
    Case(
        "uk-registration-lapses-mid-contract",
        candidate(("HCPC", "diagnostic_radiographer", "GB", IN_120_DAYS + timedelta(days=30))),
        requisition("GB", weeks=26),
        "eligible_now",
        "home:HCPC:diagnostic_radiographer",
        HCPC_LEX,
        warning="before the contract ends",
    ),
    Case(
        "ardms-sonographer-to-uk-unregulated",
        candidate(ARDMS_RDMS),
        requisition("GB", occupation="sonographer"),
        "eligible_now",
        "gb-sonographer-unregulated",
        BMUS,
        "direct",
        lead=0,
    ),
    # --- Ireland
    Case(
        "uk-radiographer-to-ireland",
        candidate(HCPC_DR),
        requisition("IE"),
        "unknown",
        "ie-coru-recognition",
        CORU,
        "conditional",
        fees=((100, "EUR"),),
        note="trained in GB",
    ),
    Case(
        "philippine-rrt-to-ireland-needs-language",
        candidate(PRC_RT),
        requisition("IE"),
        "unknown",
        "ie-coru-recognition",
        CORU_LANG,
        warning="may be exempt if III.",
    ),
    # --- Australia
    Case(
        "nz-registrant-to-australia-ttmr",
        candidate(MRTB_MIT),
        requisition("AU", "AU-NSW"),
        "unknown",
        "au-trans-tasman-mutual-recognition",
        MRPBA_QUAL,
        "conditional",
        kinds=("registration",),
    ),
    Case(
        "philippine-rrt-to-australia-writing-short",
        candidate(PRC_RT, languages=(ielts(7.0, writing=6.5),)),
        requisition("AU", "AU-NSW"),
        "unknown",
        "au-mrpba-overseas-qualified",
        AHPRA_ENG,
        warning="writing 6.5 is 0.5 below the minimum 7",
    ),
    Case(
        "philippine-rrt-to-australia-ielts-met",
        candidate(PRC_RT, languages=(IELTS_7,)),
        requisition("AU"),
        "unknown",
        "au-mrpba-overseas-qualified",
        MRPBA_CRIT,
        kinds=("assessment", "registration"),
        note="AHPRA language requirement met",
    ),
    Case(
        "philippine-rrt-to-australia-oet-numeric",
        candidate(PRC_RT, languages=({"language": "en", "test": {"name": "OET", "overall": 7}},)),
        requisition("AU"),
        "unknown",
        "au-mrpba-overseas-qualified",
        AHPRA_ENG,
        warning="grade B",
    ),
    Case(
        "asar-sonographer-in-australia",
        candidate(("ASAR", "accredited_medical_sonographer", "AU")),
        requisition("AU", "AU-NSW", occupation="sonographer"),
        "eligible_now",
        "au-asar-accredited",
        ASAR_FAQ,
        "direct",
    ),
    Case(
        "nz-sonographer-to-australia-unknown",
        candidate(("MRTB", "sonographer", "NZ")),
        requisition("AU", occupation="sonographer"),
        "unknown",
        "au-sonographer-overseas-unknown",
        ASAR_ABOUT,
        "unknown",
    ),
    # --- New Zealand
    Case(
        "philippine-rrt-to-nz-ielts-too-old",
        candidate(PRC_RT, languages=(ielts(7.5, each=7.0, taken=3 * 365),)),
        requisition("NZ"),
        "unknown",
        "nz-mrtb-overseas-trained",
        MRTB,
        warning="730-day validity window",
    ),
    Case(
        "philippine-rrt-to-nz-overall-short",
        candidate(PRC_RT, languages=(ielts(7.0, each=7.0),)),
        requisition("NZ"),
        "unknown",
        "nz-mrtb-overseas-trained",
        MRTB,
        warning="overall 7 is 0.5 below the minimum 7.5",
    ),
    Case(
        "australian-to-nz-unknown",
        candidate(("MRPBA", "diagnostic_radiographer", "AU")),
        requisition("NZ"),
        "unknown",
        "nz-from-australia-unknown",
        MRTB,
        "unknown",
    ),
    # --- Canada
    Case(
        "arrt-r-to-canada",
        candidate(ARRT_R),
        requisition("CA"),
        "unknown",
        "ca-camrt-iemrt",
        CAMRT,
        "conditional",
        fees=((300, "CAD"),),
        note="trained in US",
    ),
    Case(
        "philippine-rrt-to-canada-speaking-short",
        candidate(PRC_RT, languages=(ielts(6.5, each=5.5),)),
        requisition("CA"),
        "unknown",
        "ca-camrt-iemrt",
        CAMRT_LANG,
        warning="speaking 5.5 is 0.5 below the minimum 6",
    ),
    Case(
        "camrt-certified-to-ontario",
        candidate(("CAMRT", "RTR", "CA")),
        requisition("CA", "CA-ON"),
        "unknown",
        "ca-on-camrt-certified",
        CMRITO,
        "direct",
        kinds=("registration",),
    ),
    Case(
        "cmrito-member-in-ontario",
        candidate(("CMRITO", "MRT(R)", "CA-ON")),
        requisition("CA", "CA-ON"),
        "eligible_now",
        "home:CMRITO:MRT(R)",
        CMRITO,
    ),
    Case(
        "uk-radiographer-to-ontario",
        candidate(HCPC_DR),
        requisition("CA", "CA-ON"),
        "unknown",
        "ca-on-cmrito-international",
        CMRITO,
        "conditional",
        kinds=("assessment", "exam", "registration"),
    ),
    Case(
        "ardms-to-canada-alternate-pathway",
        candidate(ARDMS_RDMS),
        requisition("CA", occupation="sonographer"),
        "unknown",
        "ca-sonography-canada-alternate-pathway",
        SC_ALT,
        "conditional",
        kinds=("assessment", "exam", "assessment"),
    ),
    Case(
        "ardms-to-ontario-unknown",
        candidate(("ARDMS", "RDCS", "US")),
        requisition("CA", "CA-ON", occupation="sonographer"),
        "unknown",
        "ca-on-sonography-unknown",
        SC_ALT,
        "unknown",
    ),
    # --- South Africa, Philippines, Gulf
    Case(
        "uk-radiographer-to-south-africa",
        candidate(HCPC_DR),
        requisition("ZA"),
        "unknown",
        "za-hpcsa-entry-exam",
        HPCSA,
        "conditional",
        kinds=("exam", "registration"),
    ),
    Case(
        "uk-radiographer-to-philippines-citizenship",
        candidate(HCPC_DR),
        requisition("PH"),
        "unknown",
        "ph-prc-licensure",
        PRC,
        "conditional",
        warning="requires PH citizenship",
    ),
    Case(
        "philippine-rrt-at-home",
        candidate(PRC_RT),
        requisition("PH"),
        "eligible_now",
        "home:PRC:radiologic_technologist",
        PRC,
        "direct",
    ),
    Case(
        "philippine-rrt-to-uae",
        candidate(PRC_RT),
        requisition("AE"),
        "unknown",
        "ae-unified-pqr",
        PQR,
        "conditional",
        kinds=("primary_source_verification", "assessment", "exam", "licence_application"),
    ),
    Case(
        "junior-to-dubai-needs-two-years",
        candidate(PRC_RT, years=1.0),
        requisition("AE", "AE-DU"),
        "ineligible",
        "ae-du-dha-licence",
        DHA,
        warning="at least 2 years",
    ),
    Case(
        "experienced-to-dubai",
        candidate(PRC_RT, years=6.0),
        requisition("AE", "AE-DU"),
        "unknown",
        "ae-du-dha-licence",
        DHA,
        "conditional",
    ),
    Case(
        "uk-radiographer-to-saudi-arabia",
        candidate(HCPC_DR),
        requisition("SA"),
        "unknown",
        "sa-scfhs-classification",
        SCFHS,
        "conditional",
    ),
    # --- Germany, France
    Case(
        "irish-radiographer-to-germany-b2",
        candidate(("CORU", "radiographer", "IE"), languages=({"language": "de", "cefr": "B2"},)),
        requisition("DE"),
        "unknown",
        "de-mtr-eu-recognition",
        MTBG_46,
        "conditional",
        kinds=("assessment",),
        note="DE_MTBG language requirement met",
    ),
    Case(
        "philippine-rrt-to-germany-b1",
        candidate(PRC_RT, languages=({"language": "de", "cefr": "B1"},)),
        requisition("DE"),
        "unknown",
        "de-mtr-third-country",
        DE_LANG,
        warning="1 level(s) below B2",
    ),
    Case(
        "french-merm-to-germany",
        candidate(("MINISTERE_SANTE", "DE_MERM", "FR")),
        requisition("DE"),
        "unknown",
        "de-mtr-eu-recognition",
        MTBG_46,
    ),
    Case(
        "uk-radiographer-to-france-ineligible",
        candidate(HCPC_DR),
        requisition("FR"),
        "ineligible",
        "fr-merm-non-eu",
        FR_NON_EU,
        "not_recognised",
        kinds=("exam", "education_programme"),
    ),
    Case(
        "german-mtr-to-france",
        candidate(("MTBG", "MTR", "DE")),
        requisition("FR"),
        "unknown",
        "fr-merm-eu-authorisation",
        FR_EU,
        "conditional",
    ),
    # --- No rule
    Case(
        "indian-radiographer-no-credential",
        candidate(trained="IN"),
        requisition("GB"),
        "unknown",
        None,
        "credentials.md §5 India: registration rules ?",
        warning="no equivalence rule",
    ),
    Case(
        "code-not-in-catalogue",
        candidate(("ARRT", "ZZ", "US")),
        requisition("GB"),
        "unknown",
        None,
        "catalogue.toml",
        warning="not in the catalogue",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_pathway(case: Case) -> None:
    verdict = assess(case.candidate, case.requisition, today=TODAY)
    assert verdict.status == case.status, verdict.to_dict()
    assert verdict.rule_id == case.rule
    if case.rule is not None:
        cited = {verdict.source, *(step.source for step in verdict.steps)}
        assert case.source in cited, f"{case.source} is not what the verdict cites: {cited}"
    if case.pathway_status is not None:
        assert verdict.pathway_status == case.pathway_status
    if case.lead != "any":
        assert verdict.lead_time_days == case.lead
    if case.kinds is not None:
        assert tuple(s.kind for s in verdict.steps if s.required) == case.kinds
    if case.warning is not None:
        assert any(case.warning in w for w in verdict.warnings), verdict.warnings
    if case.note is not None:
        assert any(case.note in n for n in verdict.notes), verdict.notes
    for fee, currency in case.fees:
        assert any(s.fee == fee and s.currency == currency for s in verdict.steps)


def test_at_least_forty_cases_cover_every_destination_in_the_generator() -> None:
    assert len(CASES) >= 40
    destinations = {c.requisition.facility.region or c.requisition.facility.country for c in CASES}
    for place in (
        "US-CA",
        "US-TX",
        "US-NY",
        "US-OR",
        "GB",
        "IE",
        "AU-NSW",
        "NZ",
        "CA-ON",
        "AE",
        "SA",
        "DE",
    ):
        assert place in destinations


def test_known_fees_add_up_the_required_steps_per_currency() -> None:
    mammography = requisition("US", "US-CA", modalities=("mammography",))
    assert assess(candidate(ARRT_R), mammography, today=TODAY).known_fees == {"USD": 224.0}
    # CORU's compensation measure is optional and unpriced; registration is EUR 100.
    assert assess(candidate(HCPC_DR), requisition("IE"), today=TODAY).known_fees == {"EUR": 100.0}


def test_earliest_start_is_today_plus_lead_time() -> None:
    verdict = assess(candidate(ARRT_R), requisition("US", "US-CA"), today=TODAY)
    assert verdict.lead_time_days is not None
    assert verdict.earliest_start_date == TODAY + timedelta(days=verdict.lead_time_days)


def test_an_education_programme_names_the_pathway_even_when_ineligible() -> None:
    verdict: Eligibility = assess(candidate(HCPC_DR), requisition("US", "US-CA"), today=TODAY)
    assert verdict.status == "ineligible"
    assert verdict.pathway is not None
    assert "ARRT-approved" in verdict.pathway
    assert verdict.lead_time_days is None
    assert verdict.earliest_start_date is None

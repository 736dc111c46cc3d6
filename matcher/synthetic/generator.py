"""Seeded synthetic candidates and requisitions that look like real cross-border feeds.

Titles are written as people write them, in their own language; credentials come from the
real bodies of each country (see ../shared/domain/credentials.md). Nothing here is read by
the code that scores or learns.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

OCC_MODALITIES: dict[str, tuple[str, ...]] = {
    "radiographer": (
        "radiography",
        "fluoroscopy",
        "ct",
        "mammography",
        "interventional",
        "bone_densitometry",
    ),
    "sonographer": ("ultrasound", "echocardiography", "vascular_ultrasound"),
    "mri_technologist": ("mri",),
    "nuclear_medicine_technologist": ("nuclear_medicine", "pet", "ct"),
    "radiation_therapist": ("radiation_therapy", "ct"),
    "cardiovascular_technologist": ("cardiac_cath", "echocardiography", "interventional"),
}
OCC_WEIGHTS = {"radiographer": 45, "sonographer": 20, "mri_technologist": 12,
               "nuclear_medicine_technologist": 8, "radiation_therapist": 9,
               "cardiovascular_technologist": 6}  # fmt: skip

# Titles as written in each language; {m} is replaced by a modality word where present.
TITLES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "radiographer": ("Diagnostic Radiographer", "Radiologic Technologist", "X-Ray Tech",
                         "Senior Radiographer Band 6", "CT Radiographer", "Mammography Technologist",
                         "RT(R)(CT)", "Radiographer - night shift", "Travel Rad Tech", "Radiographer II"),
        "sonographer": ("Diagnostic Medical Sonographer", "Sonographer", "Ultrasound Technologist",
                        "RDMS Sonographer - per diem", "Echo Sonographer", "Vascular Technologist"),
        "mri_technologist": ("MRI Technologist", "MRI Radiographer", "MR Tech", "Senior MRI Technologist"),
        "nuclear_medicine_technologist": ("Nuclear Medicine Technologist", "NM Tech", "PET/CT Technologist"),
        "radiation_therapist": ("Radiation Therapist", "Therapeutic Radiographer", "RTT - locum"),
        "cardiovascular_technologist": ("Cardiovascular Technologist", "Cath Lab Technologist", "RCIS"),
    },
    "de": {
        "radiographer": ("MTR", "MTRA", "Medizinische Technologin für Radiologie",
                         "Radiologietechnologe", "MTRA im CT", "Röntgenassistentin"),
        "sonographer": ("Sonographer", "Ultraschall-Assistent"),
        "mri_technologist": ("MTRA MRT", "MRT-Assistentin"),
        "nuclear_medicine_technologist": ("MTRA Nuklearmedizin",),
        "radiation_therapist": ("MTRA Strahlentherapie",),
        "cardiovascular_technologist": ("Herzkatheter-Assistent",),
    },
    "fr": {
        "radiographer": ("Manipulateur en électroradiologie médicale", "Manipulatrice radio",
                         "MERM scanner", "Technologue en imagerie médicale"),
        "sonographer": ("Échographiste", "Technologue en échographie"),
        "mri_technologist": ("Manipulateur IRM",),
        "nuclear_medicine_technologist": ("Technologue en médecine nucléaire",),
        "radiation_therapist": ("Manipulateur en radiothérapie",),
        "cardiovascular_technologist": ("Technicien en cardiologie interventionnelle",),
    },
    "es": {
        "radiographer": ("Técnico superior en imagen para el diagnóstico", "Técnico en radiología",
                         "TSID TAC", "Técnica de rayos X"),
        "sonographer": ("Técnico en ecografía", "Ecografista"),
        "mri_technologist": ("Técnico de resonancia magnética",),
        "nuclear_medicine_technologist": ("Técnico en medicina nuclear",),
        "radiation_therapist": ("Técnico superior en radioterapia",),
        "cardiovascular_technologist": ("Técnico en hemodinámica",),
    },
    "it": {
        "radiographer": ("TSRM", "Tecnico sanitario di radiologia medica", "Tecnico di radiologia TC"),
        "sonographer": ("Tecnico ecografista",),
        "mri_technologist": ("TSRM risonanza magnetica",),
        "nuclear_medicine_technologist": ("TSRM medicina nucleare",),
        "radiation_therapist": ("TSRM radioterapia",),
        "cardiovascular_technologist": ("Tecnico di emodinamica",),
    },
    "pt": {
        "radiographer": ("Técnico em radiologia", "Técnico de radiologia", "Técnico em tomografia",
                         "Técnico em mamografia", "Tecnólogo em radiologia"),
        "sonographer": ("Técnico de ecografia",),
        "mri_technologist": ("Técnico em ressonância magnética",),
        "nuclear_medicine_technologist": ("Técnico em medicina nuclear",),
        "radiation_therapist": ("Técnico de radioterapia",),
        "cardiovascular_technologist": ("Técnico em hemodinâmica",),
    },
    "pl": {
        "radiographer": ("Technik elektroradiolog", "Elektroradiolog", "Technik RTG"),
        "sonographer": ("Technik ultrasonografii",),
        "mri_technologist": ("Elektroradiolog MR",),
        "nuclear_medicine_technologist": ("Elektroradiolog medycyna nuklearna",),
        "radiation_therapist": ("Elektroradiolog radioterapia",),
        "cardiovascular_technologist": ("Technik hemodynamiki",),
    },
    "nl": {
        "radiographer": ("Radiodiagnostisch laborant", "Medisch beeldvormings- en bestralingsdeskundige",
                         "MBB'er CT"),
        "sonographer": ("Echografist",),
        "mri_technologist": ("MRI-laborant",),
        "nuclear_medicine_technologist": ("Medisch nucleair werker",),
        "radiation_therapist": ("Radiotherapeutisch laborant",),
        "cardiovascular_technologist": ("Hartcatheterisatie laborant",),
    },
}  # fmt: skip


@dataclass(frozen=True)
class CountryProfile:
    code: str
    language: str
    currency: str
    cities: tuple[tuple[str, float, float], ...]
    phone_prefix: str
    # occupation -> (body, credential, jurisdiction) options; "*" applies to every occupation.
    credentials: dict[str, tuple[tuple[str, str, str], ...]]


COUNTRIES: dict[str, CountryProfile] = {
    "US": CountryProfile("US", "en", "USD", (("Los Angeles", 34.05, -118.24), ("Houston", 29.76, -95.37),
        ("New York", 40.71, -74.01), ("Portland", 45.52, -122.68)), "+1212555",
        {"radiographer": (("ARRT", "R", "US"), ("ARRT", "CT", "US"), ("ARRT", "M", "US"), ("CDPH", "CRT", "US-CA")),
         "sonographer": (("ARDMS", "RDMS", "US"), ("ARDMS", "RDCS", "US"), ("ARDMS", "RVT", "US")),
         "mri_technologist": (("ARRT", "MR", "US"), ("ARMRIT", "MRIT", "US")),
         "nuclear_medicine_technologist": (("NMTCB", "CNMT", "US"), ("ARRT", "N", "US")),
         "radiation_therapist": (("ARRT", "T", "US"),),
         "cardiovascular_technologist": (("CCI", "RCIS", "US"), ("CCI", "RCS", "US"))}),
    "GB": CountryProfile("GB", "en", "GBP", (("London", 51.51, -0.13), ("Leeds", 53.80, -1.55),
        ("Manchester", 53.48, -2.24)), "+44770090",
        {"radiographer": (("HCPC", "diagnostic_radiographer", "GB"),),
         "sonographer": (("RCT", "sonographer", "GB"), ("HCPC", "diagnostic_radiographer", "GB")),
         "mri_technologist": (("HCPC", "diagnostic_radiographer", "GB"),),
         "nuclear_medicine_technologist": (("HCPC", "diagnostic_radiographer", "GB"),),
         "radiation_therapist": (("HCPC", "therapeutic_radiographer", "GB"),),
         "cardiovascular_technologist": (("RCCP", "cardiac_physiologist", "GB"),)}),
    "IE": CountryProfile("IE", "en", "EUR", (("Dublin", 53.35, -6.26), ("Cork", 51.90, -8.47)), "+35383",
        {"*": (("CORU", "radiographer", "IE"),), "radiation_therapist": (("CORU", "radiation_therapist", "IE"),)}),
    "AU": CountryProfile("AU", "en", "AUD", (("Sydney", -33.87, 151.21), ("Melbourne", -37.81, 144.96),
        ("Brisbane", -27.47, 153.03)), "+61491570",
        {"*": (("MRPBA", "diagnostic_radiographer", "AU"),),
         "sonographer": (("ASAR", "accredited_medical_sonographer", "AU"),),
         "nuclear_medicine_technologist": (("MRPBA", "nuclear_medicine_technologist", "AU"),),
         "radiation_therapist": (("MRPBA", "radiation_therapist", "AU"),)}),
    "NZ": CountryProfile("NZ", "en", "NZD", (("Auckland", -36.85, 174.76), ("Wellington", -41.29, 174.78)), "+6421",
        {"*": (("MRTB", "medical_imaging_technologist", "NZ"),),
         "mri_technologist": (("MRTB", "mri_technologist", "NZ"),),
         "sonographer": (("MRTB", "sonographer", "NZ"),),
         "nuclear_medicine_technologist": (("MRTB", "nuclear_medicine_technologist", "NZ"),),
         "radiation_therapist": (("MRTB", "radiation_therapist", "NZ"),)}),
    "PH": CountryProfile("PH", "en", "PHP", (("Manila", 14.60, 120.98), ("Cebu", 10.32, 123.89)), "+63917",
        {"*": (("PRC", "radiologic_technologist", "PH"), ("PRC", "xray_technologist", "PH"))}),
    "ZA": CountryProfile("ZA", "en", "ZAR", (("Johannesburg", -26.20, 28.05), ("Cape Town", -33.92, 18.42)), "+2782",
        {"*": (("HPCSA", "diagnostic_radiographer", "ZA"),),
         "sonographer": (("HPCSA", "sonographer", "ZA"),),
         "radiation_therapist": (("HPCSA", "therapeutic_radiographer", "ZA"),)}),
    "CA": CountryProfile("CA", "en", "CAD", (("Toronto", 43.65, -79.38), ("Vancouver", 49.28, -123.12),
        ("Montréal", 45.50, -73.57)), "+1416555",
        {"radiographer": (("CAMRT", "RTR", "CA"), ("CMRITO", "MRT(R)", "CA-ON")),
         "sonographer": (("SONOGRAPHY_CANADA", "CRGS", "CA"), ("SONOGRAPHY_CANADA", "CRCS", "CA")),
         "mri_technologist": (("CAMRT", "RTMR", "CA"),),
         "nuclear_medicine_technologist": (("CAMRT", "RTNM", "CA"),),
         "radiation_therapist": (("CAMRT", "RTT", "CA"),),
         "cardiovascular_technologist": (("SONOGRAPHY_CANADA", "CRCS", "CA"),)}),
    "IN": CountryProfile("IN", "en", "INR", (("Mumbai", 19.08, 72.88), ("Delhi", 28.61, 77.21)), "+91981", {}),
    "DE": CountryProfile("DE", "de", "EUR", (("Berlin", 52.52, 13.40), ("München", 48.14, 11.58)), "+4915123",
        {"*": (("MTBG", "MTR", "DE"),)}),
    "FR": CountryProfile("FR", "fr", "EUR", (("Paris", 48.86, 2.35), ("Lyon", 45.76, 4.84)), "+3361234",
        {"*": (("MINISTERE_SANTE", "DE_MERM", "FR"),)}),
    "ES": CountryProfile("ES", "es", "EUR", (("Madrid", 40.42, -3.70), ("Barcelona", 41.39, 2.17)), "+3461234",
        {"*": (("MINISTERIO_EDUCACION", "TSIDI", "ES"),),
         "radiation_therapist": (("MINISTERIO_EDUCACION", "TSRD", "ES"),)}),
    "IT": CountryProfile("IT", "it", "EUR", (("Milano", 45.46, 9.19), ("Roma", 41.90, 12.50)), "+39312345",
        {"*": (("FNO_TSRM_PSTRP", "TSRM", "IT"),)}),
    "PT": CountryProfile("PT", "pt", "EUR", (("Lisboa", 38.72, -9.14), ("Porto", 41.15, -8.61)), "+35191234",
        {"*": (("ACSS", "tecnico_radiologia", "PT"),)}),
    "BR": CountryProfile("BR", "pt", "BRL", (("São Paulo", -23.55, -46.63), ("Rio de Janeiro", -22.91, -43.17)),
        "+5511912", {"*": (("CONTER", "tecnico_radiologia", "BR"),)}),
    "PL": CountryProfile("PL", "pl", "PLN", (("Warszawa", 52.23, 21.01), ("Kraków", 50.06, 19.94)), "+4851234",
        {"*": (("PL_MZ", "elektroradiolog", "PL"),)}),
    "NL": CountryProfile("NL", "nl", "EUR", (("Amsterdam", 52.37, 4.90), ("Utrecht", 52.09, 5.12)), "+3161234",
        {"*": (("BIG", "MBB", "NL"),)}),
}  # fmt: skip
CANDIDATE_COUNTRY_WEIGHTS = {"PH": 16, "IN": 10, "GB": 9, "US": 8, "ZA": 7, "AU": 5, "NZ": 4, "IE": 4,
                             "CA": 6, "DE": 5, "FR": 4, "ES": 6, "IT": 4, "PT": 4, "BR": 5, "PL": 5, "NL": 3}  # fmt: skip

# Destinations: (country, region, currency, typical annual salary, facility names).
DESTINATIONS: tuple[tuple[str, str | None, str, int, tuple[str, ...]], ...] = (
    ("US", "US-CA", "USD", 98000, ("Cedars Valley Medical Center", "Bayview General Hospital")),
    ("US", "US-TX", "USD", 72000, ("Gulf Coast Regional Hospital",)),
    ("US", "US-NY", "USD", 85000, ("Hudson Presbyterian Hospital",)),
    ("US", "US-OR", "USD", 82000, ("Willamette Health",)),
    ("GB", None, "GBP", 38000, ("St Aldhelm's NHS Foundation Trust", "Northern Imaging Centre")),
    ("IE", None, "EUR", 48000, ("Mater Misericordiae University Hospital",)),
    ("AU", "AU-NSW", "AUD", 95000, ("Royal Harbour Hospital",)),
    ("NZ", None, "NZD", 82000, ("Te Whatu Ora Waitematā",)),
    ("CA", "CA-ON", "CAD", 80000, ("Lakeshore Health Sciences Centre",)),
    ("AE", None, "AED", 150000, ("Al Noor Specialist Hospital",)),
    ("SA", None, "SAR", 140000, ("King Faisal Imaging Centre",)),
    ("DE", None, "EUR", 45000, ("Klinikum am Rhein",)),
)
DEST_LANGUAGE = {"US": "en", "GB": "en", "IE": "en", "AU": "en", "NZ": "en", "CA": "en",
                 "AE": "en", "SA": "en", "DE": "de"}  # fmt: skip
DEST_CITY = {"US-CA": ("Los Angeles", 34.05, -118.24), "US-TX": ("Houston", 29.76, -95.37),
             "US-NY": ("New York", 40.71, -74.01), "US-OR": ("Portland", 45.52, -122.68),
             "GB": ("London", 51.51, -0.13), "IE": ("Dublin", 53.35, -6.26), "AU-NSW": ("Sydney", -33.87, 151.21),
             "NZ": ("Auckland", -36.85, 174.76), "CA-ON": ("Toronto", 43.65, -79.38),
             "AE": ("Dubai", 25.20, 55.27), "SA": ("Riyadh", 24.71, 46.68), "DE": ("Köln", 50.94, 6.96)}  # fmt: skip
EQUIPMENT = ("Siemens SOMATOM Force", "Siemens MAGNETOM Vida 3T", "GE Revolution CT", "GE SIGNA Premier",
             "Philips Ingenia 1.5T", "Philips EPIQ Elite", "Canon Aquilion ONE", "Hologic 3Dimensions",
             "GE Voluson E10", "Varian TrueBeam", "Elekta Versa HD", "Siemens Biograph Vision PET/CT")  # fmt: skip
FIRST = ("Maria", "Jose", "Aisha", "Liam", "Priya", "Chen", "Olga", "Kwame", "Sofia", "Mateo",
         "Anna", "Tomasz", "Hannah", "Rafael", "Fatima", "Noah", "Giulia", "Pierre", "Jun", "Zanele")  # fmt: skip
LAST = ("Santos", "Reyes", "Patel", "Smith", "Nguyen", "Kowalski", "Müller", "García", "Dubois",
        "Rossi", "Okafor", "van Dijk", "Silva", "O'Brien", "Khan", "Naidoo", "Tanaka", "Murphy")  # fmt: skip
IELTS_COUNTRIES = {"PH", "IN", "ZA", "DE", "FR", "ES", "IT", "PT", "BR", "PL", "NL"}


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()), k=1)[0]


def _title(rng: random.Random, language: str, occupation: str) -> str:
    options = TITLES.get(language, TITLES["en"]).get(occupation) or TITLES["en"][occupation]
    return rng.choice(options)


def generate_candidate(rng: random.Random, index: int, today: date) -> dict[str, Any]:
    country = _weighted(rng, CANDIDATE_COUNTRY_WEIGHTS)
    profile = COUNTRIES[country]
    occupation = _weighted(rng, OCC_WEIGHTS)
    language = profile.language
    # Canadians in Québec write French; Filipinos, Indians etc. write English titles.
    if country == "CA" and rng.random() < 0.25:
        language = "fr"
    years = round(min(rng.gammavariate(2.2, 3.5), 40.0), 1)
    options = OCC_MODALITIES[occupation]
    n_mod = min(len(options), 1 + int(rng.random() * 3))
    chosen = [options[0], *rng.sample(options[1:], k=max(0, n_mod - 1))] if options else []
    modalities = [{"modality": m, "years": round(years * rng.uniform(0.3, 1.0), 1)} for m in chosen]
    cred_options = profile.credentials.get(occupation) or profile.credentials.get("*") or ()
    credentials = []
    for body, code, jurisdiction in rng.sample(
        list(cred_options), k=min(len(cred_options), rng.choice((1, 1, 2)))
    ):
        credentials.append({
            "body": body, "credential": code, "jurisdiction": jurisdiction,
            "number": f"{body[:3]}-{rng.randint(100000, 999999)}",
            "valid_until": (today + timedelta(days=rng.randint(-60, 1200))).isoformat(),
        })  # fmt: skip
    city, lat, lon = rng.choice(profile.cities)
    # Where English is an official but not the first language (PH, IN, ZA), the test is the evidence.
    english_by_test = profile.language != "en" or country in IELTS_COUNTRIES
    languages: list[dict[str, Any]] = []
    if profile.language != "en" or not english_by_test:
        languages.append({"language": profile.language, "cefr": "C2"})
    if english_by_test:
        band = rng.choice((6.0, 6.5, 7.0, 7.0, 7.5, 8.0))
        languages.append({"language": "en", "cefr": "C1" if band >= 7 else "B2", "test": {
            "name": rng.choice(("IELTS_ACADEMIC", "IELTS_ACADEMIC", "OET")) if band >= 7 else "IELTS_ACADEMIC",
            "overall": band, "listening": band, "reading": band,
            "writing": max(5.0, band - rng.choice((0, 0, 0.5, 1.0))), "speaking": band,
            "taken_on": (today - timedelta(days=rng.randint(30, 900))).isoformat()}})  # fmt: skip
    dest_pref = rng.sample(
        ["US", "GB", "IE", "AU", "NZ", "CA", "AE", "SA", "DE"], k=rng.randint(1, 4)
    )
    first, last = rng.choice(FIRST), rng.choice(LAST)
    record: dict[str, Any] = {
        "external_id": f"C{index:06d}",
        "full_name": f"{first} {last}",
        "email": f"{first.lower()}.{index}@example.org",
        "phone": f"{profile.phone_prefix}{index % 10000:04d}",
        "date_of_birth": (today - timedelta(days=365 * rng.randint(22, 60))).isoformat(),
        "country": country,
        "location": {"city": city, "lat": lat, "lon": lon},
        "title": _title(rng, language, occupation),
        "title_language": language,
        "years_experience": years,
        "modalities": modalities,
        "credentials": credentials,
        "education": [{"level": rng.choice(("diploma", "associate", "bachelor", "bachelor", "master")),
                       "field": "Medical imaging", "country": country,
                       "year": today.year - int(years) - rng.randint(0, 3)}],
        "languages": languages,
        "equipment": rng.sample(EQUIPMENT, k=rng.randint(0, 3)),
        "available_from": (today + timedelta(days=rng.randint(0, 180))).isoformat(),
        "preferences": {
            "countries": dest_pref,
            "contract_types": rng.sample(["permanent", "fixed_term", "travel", "locum"], k=rng.randint(1, 3)),
            "shifts": rng.sample(["day", "evening", "night", "weekend", "on_call"], k=rng.randint(1, 4)),
            "willing_to_relocate": rng.random() < 0.7,
        },
    }  # fmt: skip
    return record


def generate_requisition(rng: random.Random, index: int, today: date) -> dict[str, Any]:
    country, region, currency, salary, facilities = rng.choice(DESTINATIONS)
    occupation = _weighted(rng, OCC_WEIGHTS)
    options = OCC_MODALITIES[occupation]
    required = [options[0]] if rng.random() < 0.6 else rng.sample(options, k=min(2, len(options)))
    preferred = [m for m in options if m not in required and rng.random() < 0.4]
    city, lat, lon = DEST_CITY[region or country]
    facility_name = rng.choice(facilities)
    record: dict[str, Any] = {
        "external_id": f"R{index:05d}",
        "facility": {"external_id": "F-" + "".join(w[0] for w in facility_name.split()).upper(),
                     "name": facility_name, "country": country, "city": city, "lat": lat, "lon": lon},
        "title": _title(rng, DEST_LANGUAGE[country], occupation),
        "required_modalities": required,
        "preferred_modalities": preferred,
        "min_years_experience": rng.choice((0, 1, 2, 2, 3, 5)),
        "equipment": rng.sample(EQUIPMENT, k=rng.randint(0, 2)),
        "shift": rng.choice(("day", "day", "evening", "night", "on_call")),
        "contract_type": rng.choice(("permanent", "permanent", "fixed_term", "travel", "locum")),
        "start_date": (today + timedelta(days=rng.randint(30, 240))).isoformat(),
        "salary": {"min": round(salary * 0.9, -3), "max": round(salary * 1.2, -3),
                   "currency": currency, "period": "year"},
        "language": {"language": DEST_LANGUAGE[country], "min_cefr": "B2" if country == "DE" else "C1"},
        "visa_sponsorship": rng.random() < 0.6,
        "openings": rng.choice((1, 1, 1, 2, 3)),
    }  # fmt: skip
    if region:
        record["facility"]["region"] = region
    if record["contract_type"] in ("fixed_term", "travel", "locum"):
        record["duration_weeks"] = rng.choice((13, 26, 52))
    return record


# A fixed reference date keeps the committed sample stable across runs.
REFERENCE_DATE = date(2026, 1, 5)


def generate(
    n_candidates: int, n_requisitions: int, *, seed: int, today: date = REFERENCE_DATE
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rng = random.Random(seed)
    candidates = [generate_candidate(rng, i + 1, today) for i in range(n_candidates)]
    requisitions = [generate_requisition(rng, i + 1, today) for i in range(n_requisitions)]
    return candidates, requisitions


def write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    return path


def write_fixtures(out: Path, *, n_candidates: int, n_requisitions: int, seed: int) -> list[Path]:
    candidates, requisitions = generate(n_candidates, n_requisitions, seed=seed)
    return [
        write_jsonl(out / "candidates.jsonl", candidates),
        write_jsonl(out / "requisitions.jsonl", requisitions),
    ]

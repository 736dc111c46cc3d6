"""The title normaliser: table-driven cases over languages, modalities, noise and thresholds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matcher.rules.titles import CONFIDENCE_THRESHOLD, UNKNOWN, compiled_taxonomy, normalise_titles
from matcher.rules.titles.normaliser import best_synonyms
from matcher.rules.titles.occupations import derive_occupations
from matcher.synthetic.generator import TITLES


@pytest.mark.parametrize(
    ("title", "occupation", "modalities"),
    [
        # a modality named next to the base occupation
        ("CT Radiographer", "radiographer", ("ct",)),
        ("Mammography Technologist", "radiographer", ("mammography",)),
        ("MERM scanner", "radiographer", ("ct",)),
        ("Técnico en TAC", "radiographer", ("ct",)),
        ("RT(R)(CT)", "radiographer", ("radiography", "ct")),
        ("X-ray tech", "radiographer", ("radiography",)),
        # a generalist title with a specialist modality is that specialist
        ("MRI radiographer", "mri_technologist", ("mri",)),
        ("MRT-Assistentin", "mri_technologist", ("mri",)),
        ("TSRM risonanza magnetica", "mri_technologist", ("mri",)),
        ("MTRA Nuklearmedizin", "nuclear_medicine_technologist", ("nuclear_medicine",)),
        ("MTRA Strahlentherapie", "radiation_therapist", ("radiation_therapy",)),
        ("PET/CT Technologist", "nuclear_medicine_technologist", ("ct", "pet")),
        # national titles and abbreviations in each language
        ("MTR", "radiographer", ()),
        ("MTRA", "radiographer", ()),
        ("manipulateur en électroradiologie médicale", "radiographer", ()),
        ("TSRM", "radiographer", ()),
        ("técnico superior en imagen para el diagnóstico", "radiographer", ()),
        ("Técnico em radiologia", "radiographer", ()),
        ("Radiodiagnostisch laborant", "radiographer", ()),
        ("Technik elektroradiolog", "radiographer", ()),
        ("radiologic technologist", "radiographer", ()),
        ("RDMS", "sonographer", ("ultrasound",)),
        ("DMS", "sonographer", ("ultrasound",)),
        ("Échographiste", "sonographer", ("ultrasound",)),
        ("Echo Sonographer", "sonographer", ("echocardiography",)),
        ("RTT", "radiation_therapist", ("radiation_therapy",)),
        ("NM tech", "nuclear_medicine_technologist", ("nuclear_medicine",)),
        ("RCIS", "cardiovascular_technologist", ("cardiac_cath",)),
        ("Técnico em hemodinâmica", "cardiovascular_technologist", ("cardiac_cath",)),
        # neighbouring occupations are not ours
        ("Radiologist", UNKNOWN, ()),
        ("Médico radiólogo", UNKNOWN, ()),
        ("Nurse", UNKNOWN, ()),
        ("Medical Physicist", UNKNOWN, ()),
        ("Dental Assistant", UNKNOWN, ()),
        ("EKG Technician", UNKNOWN, ()),
        ("Técnico de central nuclear", UNKNOWN, ()),
        ("Bartender", UNKNOWN, ()),
    ],
)
def test_normalises_titles(title: str, occupation: str, modalities: tuple[str, ...]) -> None:
    (match,) = normalise_titles([title])
    assert (match.occupation, set(match.modalities)) == (occupation, set(modalities))
    if occupation != UNKNOWN:
        assert match.confidence >= CONFIDENCE_THRESHOLD


@pytest.mark.parametrize(
    "variants",
    [
        (
            "Técnico en radiología",
            "TECNICO EN RADIOLOGIA",
            "tecnico-en-radiologia",
            "técnico, en radiología!",
        ),
        ("Manipulatrice radio", "MANIPULATRICE RADIO", "manipulatrice (radio)"),
        ("Röntgenassistentin", "RONTGENASSISTENTIN", "röntgenassistentin."),
        ("Échographiste", "ECHOGRAPHISTE", "echographiste"),
    ],
)
def test_accents_case_and_punctuation_do_not_matter(variants: tuple[str, ...]) -> None:
    matches = normalise_titles(list(variants))
    assert len({(m.occupation, m.modalities, m.confidence) for m in matches}) == 1
    assert matches[0].occupation != UNKNOWN


@pytest.mark.parametrize(
    ("noisy", "plain"),
    [
        ("Senior Radiographer Band 6", "Radiographer"),
        ("Radiographer II - night shift", "Radiographer"),
        ("Travel Rad Tech", "Rad Tech"),
        ("RDMS Sonographer - per diem", "RDMS Sonographer"),
        ("RTT - locum", "RTT"),
        ("MTRA (m/w/d) Teilzeit", "MTRA"),
        ("Manipulateur radio H/F CDI de nuit", "Manipulateur radio"),
        ("Técnico en radiología - turno de noche", "Técnico en radiología"),
    ],
)
def test_noise_words_change_nothing(noisy: str, plain: str) -> None:
    a, b = normalise_titles([noisy, plain])
    assert (a.occupation, a.modalities, a.confidence) == (b.occupation, b.modalities, b.confidence)
    assert a.occupation != UNKNOWN


@pytest.mark.parametrize(
    "title", ["Software engineer", "Bartender", "Pharmacy technologist", "Therapist"]
)
def test_unknown_below_threshold_keeps_its_score(title: str) -> None:
    (match,) = normalise_titles([title])
    assert match.occupation == UNKNOWN
    assert match.modalities == ()
    assert 0.0 <= match.confidence < CONFIDENCE_THRESHOLD


def test_threshold_is_where_unknown_starts() -> None:
    table = compiled_taxonomy()
    titles = ["Radiographer", "Radiologic", "Sonograph tech", "Radiology helper desk", "Bartender"]
    matches = normalise_titles(titles)
    cores = [table.analyse(t).core for t in titles]
    _, scores = best_synonyms(cores, table)
    for match, score in zip(matches, scores, strict=True):
        if match.confidence > 0:  # not vetoed
            assert (match.occupation == UNKNOWN) == (float(score) < CONFIDENCE_THRESHOLD)


def test_every_generator_title_is_understood() -> None:
    for by_occupation in TITLES.values():
        for occupation, titles in by_occupation.items():
            assert [o.value if o else None for o in derive_occupations(list(titles))] == [
                occupation
            ] * len(titles), titles


def test_batch_keeps_order_and_duplicates() -> None:
    titles = ["MRI Technologist", "Radiologist", "MRI Technologist", "Sonographer"]
    matches = normalise_titles(titles)
    assert [m.title for m in matches] == titles
    assert matches[0] == matches[2]
    assert normalise_titles([]) == []


@given(st.lists(st.text(max_size=40), max_size=8))
def test_any_text_gives_a_well_formed_answer(titles: list[str]) -> None:
    for match in normalise_titles(titles):
        assert 0.0 <= match.confidence <= 1.0
        assert match.occupation == UNKNOWN or match.confidence >= CONFIDENCE_THRESHOLD
        assert match.occupation != UNKNOWN or match.modalities == ()

"""De-identification on the region's identifier forms (none may survive) and doses (all stay)."""

from __future__ import annotations

import re

import pytest

from medassist_desktop.core.inference.deidentify import (
    PatientIdentifiers,
    fold_diacritics,
    split_case,
    strip_identifiers,
)

# (note as typed, the identifying part that must not survive). Names in these notes are
# not passed in: the patterns alone must catch them.
IDENTIFIER_FORMS: list[tuple[str, str]] = [
    # dates (English, Indonesian, Vietnamese, numeric)
    ("child born 12 March 2022, fever", "12 March 2022"),
    ("seen on March 12, 2022 for cough", "March 12, 2022"),
    ("DOB 03/12/2021", "03/12/2021"),
    ("visit 2024-01-15 follow-up", "2024-01-15"),
    ("anak lahir 5 Januari 2021 di rumah", "5 Januari 2021"),
    ("tgl lahir 17-08-2019", "17-08-2019"),
    ("lahir tahun 1987", "1987"),
    ("bé sinh ngày 12 tháng 3 năm 2022", "12 tháng 3 năm 2022"),
    ("ngày sinh 02/09/2020", "02/09/2020"),
    ("khám tháng 3/2023", "tháng 3/2023"),
    ("sinh năm 1990", "1990"),
    ("admitted 4th of August 2023", "4th of August 2023"),
    ("ngày 12/3 có sốt", "12/3"),
    # phones: Vietnam, Cambodia, Thailand, the Philippines, Malaysia, Indonesia
    ("mother's phone +84 90 123 4567", "123 4567"),
    ("call 090.123.4567 if worse", "090.123.4567"),
    ("SĐT 0912345678", "0912345678"),
    ("contact +855 12 345 678", "345 678"),
    ("reach the family on 012 345 678, evening", "012 345 678"),
    ("Tel 081-234-5678", "234-5678"),
    ("ph +66 81 234 5678", "81 234 5678"),
    ("landline (02) 8123 4567", "8123 4567"),
    ("text 0917 123 4567", "0917 123 4567"),
    ("+63 917 123 4567 is the aunt", "917 123 4567"),
    ("HP 012-345 6789", "345 6789"),
    ("+60 12-345 6789", "345 6789"),
    ("WA 0812-3456-7890", "3456-7890"),
    ("hubungi +62 812 3456 7890", "3456 7890"),
    ("(021) 5551234 kantor", "5551234"),
    # national ids and record numbers
    ("CCCD 001099012345", "001099012345"),
    ("CMND: 024567891", "024567891"),
    ("Thai ID 1-2345-67890-12-3", "67890"),
    ("บัตร 1 2345 67890 12 3", "67890"),
    ("MyKad 900101-14-5678", "900101"),
    ("IC no. 850312-08-6543", "850312"),
    ("NIK 3174012301900001", "3174012301900001"),
    ("KTP 3174 0123 0190 0001", "0190 0001"),
    ("PhilHealth 12-345678901-2", "345678901"),
    ("SSS 34-1234567-8", "1234567"),
    ("TIN 123-456-789-000", "456-789"),
    ("PhilSys 1234-5678-9012-3456", "9012-3456"),
    ("Cambodian ID 010203040", "010203040"),
    ("record KH-2024-00123", "KH-2024-00123"),
    ("MRN: 48213", "48213"),
    ("email dara.sok@gmail.com", "dara.sok"),
    # addresses
    ("lives Ward 5, District 3", "Ward 5"),
    ("lives Ward 5, District 3", "District 3"),
    ("nhà ở Phường 7, Quận 3", "Phường 7"),
    ("thôn 4 xã Tân Phú", "Tân Phú"),
    ("số 12 đường Lê Lợi", "Lê Lợi"),
    ("Jalan Merdeka No. 15, RT 03/RW 05", "Merdeka"),
    ("Jalan Merdeka No. 15, RT 03/RW 05", "RT 03"),
    ("Kampung Baru, Kuala Lumpur", "Baru"),
    ("Barangay San Isidro, Purok 3", "San Isidro"),
    ("Moo 4 Tambon Nong Bua", "Nong Bua"),
    ("Phum Thmey, Khum Prek", "Thmey"),
    ("45 Nguyen Trai Street", "Nguyen Trai"),
    ("Kelurahan Cempaka Putih", "Cempaka"),
    # names after a title or a relation
    ("brought by Mrs Lan", "Lan"),
    ("Bà Hoa đưa bé đến", "Hoa"),
    ("diantar Ibu Siti", "Siti"),
    ("mother: Dara Sok", "Dara"),
    ("Khun Somchai called", "Somchai"),
    ("carer named Maria Santos", "Santos"),
]

DOSES: list[str] = [
    "amoxicillin 125mg/5ml",
    "amoxicillin 250 mg/5 mL suspension",
    "paracetamol 120mg/5ml, 10-15 mg/kg every 6 hours",
    "ORS 75 mEq/L",
    "zinc 20 mg/day for 10-14 days",
    "adrenaline 1:1000 0.01 mg/kg IM",
    "gentamicin 7.5mg/kg once daily",
    "ceftriaxone 50-80 mg/kg/day",
    "vitamin A 200 000 IU",
    "vitamin A 100000 IU",
    "ORS 200-400 ml after each loose stool",
    "BP 120/80 mmHg",
    "SpO2 92%",
    "RR 52/min",
    "dextrose 10% 5 ml/kg",
    "artesunate 2.4 mg/kg at 0, 12 and 24 hours",
    "cotrimoxazole 240mg/1200mg",
    "ferrous sulfate 200mg (60mg elemental iron)",
    "insulin 0.1 units/kg/h",
    "oxytocin 10 IU IM",
    "magnesium sulfate 4 g IV over 20 min",
    "metronidazole 7.5 mg/kg 8-hourly",
    "fluids 100 ml/kg over 6 h",
    "temperature 38.5 C for 5 days",
    "weight 12.5 kg, MUAC 118 mm",
    "viral load 1000000 copies",
    "Hb 10.5 g/dL",
    "1000-2000 mg per day",
]


@pytest.mark.parametrize(("note", "secret"), IDENTIFIER_FORMS)
def test_no_identifier_form_survives(note: str, secret: str) -> None:
    out = strip_identifiers(note)
    assert secret not in out, out
    assert fold_diacritics(secret) not in fold_diacritics(out), out


def test_the_corpus_is_large_enough() -> None:
    assert len({note for note, _ in IDENTIFIER_FORMS}) >= 40
    assert len(DOSES) >= 20


@pytest.mark.parametrize("dose", DOSES)
def test_every_dose_survives(dose: str) -> None:
    assert strip_identifiers(f"Give {dose}.") == f"Give {dose}."


@pytest.mark.parametrize("dose", DOSES)
def test_doses_survive_next_to_identifiers(dose: str) -> None:
    note = f"Nguyễn Văn An (MRN 48213), phone 0912 345 678: {dose}."
    out = strip_identifiers(note, names=["Nguyễn Văn An"])
    assert dose in out
    assert "48213" not in out and "345 678" not in out and "Nguy" not in out


def test_names_match_with_and_without_diacritics() -> None:
    out = strip_identifiers(
        "Nguyen Van An came with NGUYỄN Thị Hoa; An is 3.",
        names=["Nguyễn Văn An", "Nguyễn Thị Hoa"],
    )
    assert not re.search(r"(?i)nguy|hoa|\bAn\b", out), out


def test_short_name_parts_do_not_eat_words() -> None:
    out = strip_identifiers("An has an ear infection", names=["Tran An"])
    assert out == "[patient] has an ear infection"


def test_split_case_separates_identity_from_triage_input() -> None:
    triage, ids = split_case(
        {
            "name": "Sokha Chan",
            "patient_id": "KH-77",
            "carers": ["Dara Chan"],
            "notes": "x",
            "age_months": 30,
            "complaint": "cough",
        }
    )
    assert triage == {"age_months": 30, "complaint": "cough"}
    assert ids == PatientIdentifiers(names=("Sokha Chan", "Dara Chan"), ids=("KH-77",))

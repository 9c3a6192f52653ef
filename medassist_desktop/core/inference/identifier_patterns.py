"""The shapes of patient identifiers in the clinics' region, and of doses that must survive.

Used by `deidentify.strip_identifiers`. Written for Southeast Asia (Vietnam, Cambodia,
Thailand, the Philippines, Malaysia, Indonesia) and English notes:
- dates in English, Indonesian and Vietnamese words ("12 March 2022", "5 Januari 2021",
  "ngày 12 tháng 3 năm 2022") and numbers ("12/03/2022", "2022-03-12");
- phone numbers with a country code or a trunk 0, grouped with spaces, dots or dashes;
- national ids: long digit runs (Vietnam's 12-digit citizen id, Indonesia's 16-digit
  NIK) and grouped ones (Thailand "1-2345-67890-12-3", Malaysia's MyKad "900101-14-5678",
  the Philippines' SSS/PhilHealth/TIN/PhilSys numbers);
- addresses: the words that introduce them ("Ward 5", "Quận 3", "Jalan Merdeka",
  "Barangay San Isidro", "RT 03/RW 05", "Moo 4", "Phum Thmey");
- names after a title or a relation ("Mrs Lan", "Bà Hoa", "Ibu Siti", "mother: Dara").

Doses and unit ratios are what the answer needs, so a number followed by a unit
("1000-2000 mg", "125mg/5ml", "200 000 IU") is never taken for an identifier.
"""

from __future__ import annotations

import re
from collections.abc import Callable

ID_PLACEHOLDER = "[id]"
DATE_PLACEHOLDER = "[date]"
ADDRESS_PLACEHOLDER = "[address]"
OTHER_NAME_PLACEHOLDER = "[name]"

# Units after a number make it a clinical quantity, never an identifier.
UNIT = (
    r"(?:mg|mcg|µg|ug|ng|g|kg|gm|ml|mL|l|dl|dL|iu|IU|units?|u|mmol|mEq|meq|mmhg|mmHg|%|"
    r"tabs?|tablets?|caps?|capsules?|drops?|puffs?|sachets?|doses?|ampoules?|amps?|vials?|"
    r"°c|°C|c|C|°f|min|mins|minutes?|hours?|hrs?|h|days?|d|weeks?|wks?|months?|mo|years?|yrs?|"
    r"y|mm|cm|bpm|x|times|copies|cells|/min|/kg|/day|/d|/h)"
)
_FOLLOWED_BY_UNIT = re.compile(rf"\s*(?:{UNIT})(?![^\W\d_])", re.IGNORECASE)
NUMBER_WITH_UNIT = re.compile(rf"^\d+(?:[.,]\d+)?\s*{UNIT}$", re.IGNORECASE)
BARE_UNIT = re.compile(rf"^{UNIT}$", re.IGNORECASE)

_MONTHS_EN = (
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
)
_MONTHS_ID = (
    r"Januari|Februari|Maret|Mei|Juni|Juli|Agustus|Oktober|Desember|Agu|Agt|Okt|Des|Peb|Mrt"
)
_MONTH = rf"(?:{_MONTHS_EN}|{_MONTHS_ID})\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_VI_MONTH_WORDS = r"(?:một|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười(?: một| hai)?|giêng|chạp)"

Replacement = str | Callable[[re.Match[str]], str]


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _unless_dose(placeholder: str, min_digits: int) -> Callable[[re.Match[str]], str]:
    """Replace the match unless a unit follows it or it has too few digits."""

    def replace(match: re.Match[str]) -> str:
        if _digits(match.group(0)) < min_digits:
            return match.group(0)
        if _FOLLOWED_BY_UNIT.match(match.string, match.end()):
            return match.group(0)
        return placeholder

    return replace


def _grouped_id(match: re.Match[str]) -> str:
    """Space-grouped digits are an id only when long and with a long group (not a list)."""
    text = match.group(0)
    groups = text.split()
    if _digits(text) < 9 or max(len(g) for g in groups) < 4:
        return text
    return _unless_dose(ID_PLACEHOLDER, 9)(match)


def _capitalised_words(placeholder: str, max_words: int) -> Callable[[re.Match[str]], str]:
    """Keep the keyword, replace the capitalised words (a name) that follow it."""

    def replace(match: re.Match[str]) -> str:
        keyword, rest = match.group("kw"), match.group("rest")
        words = rest.split()
        taken = 0
        for word in words[:max_words]:
            if not word[0].isupper() or (len(word) > 1 and word.isupper()):
                break  # lower case, or an acronym ("give the caregiver ORS")
            taken += 1
        if not taken:
            return match.group(0)
        kept = " ".join(words[taken:])
        head = f"{keyword} {placeholder}" if placeholder else keyword
        return head + (f" {kept}" if kept else "")

    return replace


_WORDS_AFTER = r"(?P<rest>[^\W\d_][\w'’.-]*(?:[ \t]+[^\W\d_][\w'’.-]*){0,3})"

DATE_OF_BIRTH = re.compile(
    r"(?i)\b(?:dob|d\.o\.b\.|date\s+of\s+birth|born(?:\s+on)?|tgl\.?\s+lahir|tanggal\s+lahir|"
    r"ngày\s+sinh|sinh\s+ngày)\s*[:#]?\s*\d{1,4}[-/. ]\d{1,2}[-/. ]\d{1,4}"
)
BIRTH_YEAR = re.compile(
    r"(?i)\b(?:born(?:\s+in)?|b\.|year\s+of\s+birth|yob|sinh\s+năm|năm\s+sinh|"
    r"lahir(?:\s+tahun)?|tahun\s+lahir|kelahiran)\s*[:#]?\s*(?:19|20)\d{2}\b"
)

# (pattern, replacement), applied in order after names and labelled ids.
PATTERNS: tuple[tuple[re.Pattern[str], Replacement], ...] = (
    # numeric dates: 12/03/2022, 12-03-22, 12.03.2022, 2022-03-12
    (
        re.compile(
            r"(?<![\w./-])(?:\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})"
            r"(?![\w/]|[.,]\d)"
        ),
        DATE_PLACEHOLDER,
    ),
    # "12 March 2022", "12th of March", "5 Januari 2021", "March 12, 2022", "Mar 2022"
    (
        re.compile(rf"(?i)\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{2,4}})?(?!\w)"),
        DATE_PLACEHOLDER,
    ),
    (re.compile(rf"(?i)\b{_MONTH}\s+{_DAY}(?:,?\s+\d{{4}})?(?!\w)"), DATE_PLACEHOLDER),
    (re.compile(rf"(?i)\b{_MONTH}\s+\d{{4}}\b"), DATE_PLACEHOLDER),
    # Vietnamese: "ngày 12 tháng 3 năm 2022", "12 tháng 3, 2022", "tháng 3/2022", "ngày 12/3"
    (
        re.compile(
            rf"(?i)(?:ngày\s+)?\d{{1,2}}\s+tháng\s+(?:\d{{1,2}}|{_VI_MONTH_WORDS})"
            r"(?:\s*(?:năm|,|/)\s*\d{4})?"
        ),
        DATE_PLACEHOLDER,
    ),
    (
        re.compile(rf"(?i)\btháng\s+(?:\d{{1,2}}|{_VI_MONTH_WORDS})\s*(?:năm|/|,)\s*\d{{4}}"),
        DATE_PLACEHOLDER,
    ),
    (re.compile(r"(?i)\bngày\s+\d{1,2}[/-]\d{1,2}(?:[/-]\d{2,4})?"), DATE_PLACEHOLDER),
    # phones: +84 90 123 4567, (02) 8123 4567, 0812-3456-7890, 090.123.4567, 012 345 678
    (
        re.compile(
            r"(?<![\w.+])(?:\+\s?\d{1,3}|\(\+?\d{1,4}\)|0\d{1,4})(?:[ .-]?\d{1,5}){1,5}"
            r"(?![\w]|[.,]\d)"
        ),
        _unless_dose(ID_PLACEHOLDER, 8),
    ),
    # dashed national ids: 1-2345-67890-12-3, 900101-14-5678, 34-1234567-8, 123-456-789-000
    (
        re.compile(r"(?<![\w.-])\d{1,8}(?:-\d{1,11}){1,4}(?![\w-]|[.,]\d)"),
        _unless_dose(ID_PLACEHOLDER, 7),
    ),
    # space-grouped national ids: "1 2345 67890 12 3", "3174 0123 0190 0001"
    (re.compile(r"(?<![\w.])\d{1,6}(?:[ ]\d{1,6}){2,5}(?![\w]|[.,]\d)"), _grouped_id),
    # any bare run of 7 or more digits (citizen ids, NIK, phones without spaces)
    (re.compile(r"(?<![\w.])\d{7,}(?!\w|[.,]\d)"), _unless_dose(ID_PLACEHOLDER, 7)),
    # addresses with a number: "Ward 5", "District 3", "Quận 3", "RT 03/RW 05", "Moo 4"
    (
        re.compile(
            r"(?i)(?<!\w)(?:ward|district|zone|house(?:\s+no\.?)?|village|moo|rt|rw|"
            r"phường|quận|khu\s+phố|kp\.?|tổ|ấp|thôn|xóm|khóm|số|blok|block|"
            r"no\.|nomor|lot|apt\.?|apartment|flat|room|sangkat|khan|krom|kelompok)"
            r"\.?\s*\d+[A-Za-z]?(?:\s*/\s*(?:rw|RW)?\s*\d+)?(?!\s*(?:" + UNIT + r")(?!\w))"
        ),
        ADDRESS_PLACEHOLDER,
    ),
    # "12 Nguyen Trai Street", "45 Main Rd"
    (
        re.compile(
            r"\b\d+[A-Za-z]?\s+(?:[^\W\d_][\w'’-]*\s+){1,4}"
            r"(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Boulevard|Blvd\.?|Highway)(?!\w)"
        ),
        ADDRESS_PLACEHOLDER,
    ),
    # addresses with a name: "Jalan Merdeka", "Barangay San Isidro", "Phum Thmey", "Xã Tân Phú"
    (
        re.compile(
            r"(?<![\w/])(?P<kw>(?i:jalan|jln\.|jl\.|taman|kampung|kampong|lorong|"
            r"barangay|brgy\.?|bgy\.?|purok|sitio|kelurahan|kel\.|kecamatan|kec\.|desa|dusun|"
            r"kabupaten|kab\.|kota|gang|gg\.|soi|thanon|tambon|amphoe|changwat|tỉnh|huyện|xã|"
            r"thành\s+phố|tp\.|đường|phố|phum|khum|srok|khet|province|village|street|road|"
            r"municipality|city\s+of))\s+" + _WORDS_AFTER
        ),
        _capitalised_words(ADDRESS_PLACEHOLDER, 4),
    ),
)

# Names after a title or a relation: "Mrs Lan", "Bà Hoa", "Ibu Siti", "mother: Dara".
# Applied before the known names, so "mother Nguyễn Thị Hoa" goes whole.
NAMED_BY_TITLE: tuple[re.Pattern[str], Replacement] = (
    re.compile(
        r"(?<!\w)(?P<kw>(?:Mr|Mrs|Ms|Miss|Mdm|Madam|Ông|Bà|Anh|Chị|Cô|Chú|Bác|Ibu|Bu|"
        r"Bapak|Pak|Sdr|Sdri|Nyonya|Nona|Khun|Nai|Nang|Encik|Puan|Cik|Tuan|Haji|Hajah|"
        r"Aling|Mang|Lok|Neak|Bong|Mae|Baby|Bayi|Bé|Cháu|"
        r"(?i:mother|father|carer|caregiver|guardian|grandmother|grandfather|aunt|uncle|"
        r"husband|wife|sister|brother|son|daughter|mẹ|bố|cha|má|ibu|ayah|nenek|kakek|"
        r"suami|istri|anak|nanay|tatay|lola|lolo|ina|ama))\.?(?:\s*[:,]|\s+(?i:named|called|"
        r"is|bernama|tên(?:\s+là)?))?)\s+" + _WORDS_AFTER
    ),
    _capitalised_words(OTHER_NAME_PLACEHOLDER, 3),
)

# Title-case words right after a removed name are the rest of it ("[patient] Thị Hoa").
NAME_TAIL: tuple[re.Pattern[str], Replacement] = (
    re.compile(r"(?P<kw>\[patient\]|\[name\])[ \t]+" + _WORDS_AFTER),
    _capitalised_words("", 3),
)

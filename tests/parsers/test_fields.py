"""Unit tests for ``parsers.text.vocabulary``: the field helpers shared by the HTML and PDF parsers."""

from __future__ import annotations

import unicodedata

import pytest

from parsers.records import Handling, Person, Proposer
from parsers.text.vocabulary import (
    HEADING_FIELDS,
    TASK_CLASS_RE,
    classify_heading,
    classify_heading_strict,
    clean_text,
    find_contact_pattern,
    looks_like_person,
    merge_people,
    parse_case_number,
    parse_fi_date,
    parse_handling_line,
    parse_handlings,
    parse_people,
    parse_person,
    parse_proposer,
    split_title_name,
)

# --- text ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Päätös\xa0\xa0\xa0 ehdotus", "Päätös ehdotus"),
        ("peruskor\u00adjaus", "peruskorjaus"),  # soft hyphen
        ("zero\u200bwidth\ufeff", "zerowidth"),
        ("  rivi\r\nrivi\tja\u2009ohut  ", "rivi rivi ja ohut"),
        ("”lainaus” – ’sisä’ …", "”lainaus” – ’sisä’ …"),  # smart punctuation kept
        (unicodedata.normalize("NFD", "Päätös"), "Päätös"),  # decomposed ä → NFC
        ("", ""),
    ],
)
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("8.5.2017", "2017-05-08"),
        ("08.05.2017", "2017-05-08"),
        ("Pöytäkirja 23.09.2019/Pykälä 112", "2019-09-23"),
        ("Kaupunginhallitus 18.2.2019 § 61", "2019-02-18"),
        ("32.1.2017", None),
        ("1.13.2017", None),
        ("2017-05-08", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_fi_date(text, iso):
    assert parse_fi_date(text) == iso


# --- case numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("642/2019", ("642/2019", "642/2019", None)),
        ("5316/13.01/2019", ("5316/2019", "5316/13.01/2019", "13.01")),
        ("Asianro 5316/13.01/2019", ("5316/2019", "5316/13.01/2019", "13.01")),
        ("4812/11.01.00/2012", ("4812/2012", "4812/11.01.00/2012", "11.01.00")),
        ("TESTI/2083/12.00.02/2018", ("TESTI/2083/2018", "TESTI/2083/12.00.02/2018", "12.00.02")),
        ("Dnro KOK/512/00.01.02/2024", ("KOK/512/2024", "KOK/512/00.01.02/2024", "00.01.02")),
        ("2751/10.02.03/2015", ("2751/2015", "2751/10.02.03/2015", "10.02.03")),
        ("Dno\xa0642/2019.", ("642/2019", "642/2019", None)),
        ("18.2.2019", (None, None, None)),
        ("2751/10.02.03", (None, None, None)),  # year in another element
        ("12/20", (None, None, None)),
        ("", (None, None, None)),
        (None, (None, None, None)),
    ],
)
def test_parse_case_number(text, expected):
    assert parse_case_number(text) == expected


@pytest.mark.parametrize(
    ("text", "match"),
    [("00.01.01.00", "00.01.01.00"), ("13.01", "13.01"), ("10.02.03", "10.02.03"),
     ("08.05.2017", None), ("1.6.2017", None)],
)
def test_task_class_re(text, match):
    m = TASK_CLASS_RE.fullmatch(text)
    assert (m.group(0) if m else None) == match


# --- headings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "field"),
    [
        ("Päätösehdotus", "proposal"),
        ("Päätösesitys:", "proposal"),
        ("Esitys", "proposal"),
        ("Kaupunginhallituksen päätösehdotus", "proposal"),
        ("Päätös", "decision"),
        ("Beslut", "decision"),
        ("Käsittely", "discussion"),
        ("Selostus", "background"),
        ("Esittelyteksti", "background"),
        ("Perustelut", "background"),
        ("Valmistelijat / lisätiedot:", "preparers"),
        ("Valmistelijat/lisätiedot", "preparers"),
        ("Valmistelija", "preparers"),
        # the shared table spells it "valmistelijat/ lisätietojen antaja"; any slash
        # spacing must match it
        ("Valmistelijat/ Lisätietojen antaja", "preparers"),
        ("Valmistelijat / lisätietojen antaja:", "preparers"),
        ("Valmistelijat/Lisätietojen antaja", "preparers"),
        ("Esittelijä", "proposer"),
        ("Liitteet", "attachments"),
        ("Liite ", "attachments"),
        ("Oheismateriaali", "supplementary"),
        ("Tiedoksi\xa0\xa0\xa0", "for_information"),
        ("Tiivistelmä", "background"),
        ("Täytäntöönpanotiedot", "for_information"),
        ("Täytäntöönpano:", "for_information"),
        ("Päätöksen täytäntöönpano", "for_information"),
        ("Muutoksenhaku", "appeal"),
        ("Muutoksenhakuohje", "appeal"),
        ("Päätöshistoria", "history"),
        ("Vaikutusten arviointi", None),
        ("Liitteenä", None),
        ("Muutosehdotus nro 1:", None),
        ("", None),
        ("x" * 80, None),
    ],
)
def test_classify_heading(heading, field):
    assert classify_heading(heading) == field


@pytest.mark.parametrize(
    ("heading", "field"),
    [
        ("Päätösehdotus", "proposal"),
        ("Kaupunginhallituksen päätösehdotus", "proposal"),
        ("Lautakunnan käsittely", "discussion"),
        ("Kokouskäsittely", "discussion"),
        ("Valmistelijat/ lisätietojen antaja", "preparers"),
        ("Valmistelija / lisätiedot", "preparers"),
        ("Beredare", "preparers"),
        ("Päätöshistoria:", "history"),
        # body text that merely ends like a heading
        ("Lisäysehdotus:", None),
        ("Asian aikaisempi käsittely", None),
        ("Vastaehdotus", None),
        ("Muutosehdotus nro 2:", None),
        ("Kaupunginhallitus:", None),
    ],
)
def test_classify_heading_strict(heading, field):
    assert classify_heading_strict(heading) == field


@pytest.mark.parametrize(("name", "field"), HEADING_FIELDS)
def test_every_shared_heading_name_is_recognised(name, field):
    for spelling in (name, name.capitalize(), f"{name}:", name.upper()):
        assert classify_heading(spelling) == field, spelling
        assert classify_heading_strict(spelling) == field, spelling


def test_strict_is_a_subset_of_generous_on_the_shared_table():
    for heading in ("Päätös", "Esitys", "Liitteet", "Kaupunginjohtajan päätösehdotus"):
        assert classify_heading_strict(heading) == classify_heading(heading)


# --- people -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vs. kaupunginjohtaja Jarmo Esimerkki", ("Vs. kaupunginjohtaja", "Jarmo Esimerkki")),
        ("Kaupunginjohtaja Jukka Malli", ("Kaupunginjohtaja", "Jukka Malli")),
        ("Hyvinvoinnin edistämisen johtaja Heli Testi",
         ("Hyvinvoinnin edistämisen johtaja", "Heli Testi")),
        ("Riitta-Liisa Koe", (None, "Riitta-Liisa Koe")),
    ],
)
def test_split_title_name(text, expected):
    assert split_title_name(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kaupunginjohtaja Jukka Malli", Proposer(name="Jukka Malli", title="Kaupunginjohtaja")),
        ("Vs. kaupunginjohtaja Jarmo Esimerkki",
         Proposer(name="Jarmo Esimerkki", title="Vs. kaupunginjohtaja")),
        ("Ympäristönsuojelupäällikkö Tuula Koe-Testinen",
         Proposer(name="Tuula Koe-Testinen", title="Ympäristönsuojelupäällikkö")),
        ("Kaupunginhallitus päättää hyväksyä esityksen", None),  # a sentence, not a name
        ("", None),
        (None, None),
    ],
)
def test_parse_proposer(text, expected):
    assert parse_proposer(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Riitta-Liisa Koe, puh.\xa0 050 364 0000",
         Person(name="Riitta-Liisa Koe", phone="050 364 0000")),
        ("Virtanen Liisa, puh. (09) 816 23456",  # area code in parentheses
         Person(name="Virtanen Liisa", phone="(09) 816 23456")),
        ("Heli Testi puh. 044 718 0000", Person(name="Heli Testi", phone="044 718 0000")),
        ("Hyvinvoinnin edistämisen johtaja Heli Testi",
         Person(name="Heli Testi", title="Hyvinvoinnin edistämisen johtaja")),
        ("Stadssekreterare Karin Exempel, tfn 050 123 9876",
         Person(name="Karin Exempel", title="Stadssekreterare", phone="050 123 9876")),
        ("Matti Malli, suunnittelija, matti.malli@example.invalid",
         Person(name="Matti Malli", title="suunnittelija", email="matti.malli@example.invalid")),
        ("", None),
    ],
)
def test_parse_person(text, expected):
    assert parse_person(text) == expected


@pytest.mark.parametrize(
    ("text", "is_person"),
    [
        ("Riitta-Liisa Koe, puh. 050 364 0000", True),
        ("Hyvinvoinnin edistämisen johtaja Heli Testi", True),
        ("Koskela Armi, puh. (09) 816 00000", True),
        ("Asukastoiminnan tukiyksikkö", False),  # a unit line
        ("Kaupunginhallitus:", False),
        ("Kaupunginhallitus päättää hyväksyä esityksen.", False),
        ("Niiralan Kylä Oy", False),
        ("etunimi.sukunimi@esimerkkila.fi", False),
        ("", False),
    ],
)
def test_looks_like_person(text, is_person):
    assert looks_like_person(text) is is_person


def test_merge_people_keeps_one_entry_per_name_with_the_richer_fields():
    # Kuopio template: "Title Name / unit" under the title, then the Valmistelija row
    merged = merge_people([
        Person(name="Kalle Malli", title="Liikuntapäällikkö, Liikuntapalvelut"),
        Person(name="Outi Koe", phone="040 222 0002"),
        Person(name="Kalle  Malli", phone="044 111 0001", email="kalle.malli@example.invalid"),
        Person(name="kalle malli", title="toinen nimike", phone="050 999 0000"),
    ])
    assert merged == [
        Person(name="Kalle Malli", title="Liikuntapäällikkö, Liikuntapalvelut",
               phone="044 111 0001", email="kalle.malli@example.invalid"),
        Person(name="Outi Koe", phone="040 222 0002"),
    ]
    assert merge_people([]) == []
    # different people stay apart, in their order
    assert merge_people([Person("Outi Koe"), Person("Kalle Malli")]) == [
        Person("Outi Koe"), Person("Kalle Malli")]


def test_parse_people_splits_on_ja_only_between_people():
    assert parse_people("Hallintojohtaja Ben Esimerkki ja controller Jenni Malli") == [
        Person(name="Ben Esimerkki", title="Hallintojohtaja"),
        Person(name="Jenni Malli", title="controller"),
    ]
    assert parse_people("Maija Malli; Pekka Koe") == [Person(name="Maija Malli"),
                                                       Person(name="Pekka Koe")]
    assert parse_people("Kansalaistoiminnan ja kulttuurin yksikkö") == []


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("etunimi.sukunimi@esimerkkila.fi", "etunimi.sukunimi@esimerkkila.fi"),
        ("etunimi.sukunimi(at)testila.fi", "etunimi.sukunimi@testila.fi"),
        ("Sähköposti: etunimi.sukunimi [at] kokeilu.fi", "etunimi.sukunimi@kokeilu.fi"),
        ("förnamn.efternamn@exempelby.fi", "förnamn.efternamn@exempelby.fi"),
        ("matti.malli@example.invalid", None),  # a real address is no pattern
        ("", None),
        (None, None),
    ],
)
def test_find_contact_pattern(text, pattern):
    assert find_contact_pattern(text) == pattern


# --- earlier handlings ----------------------------------------------------------------------


def test_parse_handlings_both_orders():
    assert parse_handlings("Kaupunginhallitus 61 § 18.2.2019") == [
        Handling(body="Kaupunginhallitus", section="61", date="2019-02-18")]
    assert parse_handlings("Kaupunkisuunnittelulautakunta 26.4.2017 § 87") == [
        Handling(body="Kaupunkisuunnittelulautakunta", section="87", date="2017-04-26")]
    assert parse_handlings(
        "Kaupunginhallituksen elinkeino- ja kilpailukykyjaosto 12.3.2017 § 20") == [
        Handling(body="Kaupunginhallituksen elinkeino- ja kilpailukykyjaosto", section="20",
                 date="2017-03-12")]
    assert parse_handlings("") == [] and parse_handlings(None) == []


def test_parse_handlings_deduplicates():
    text = "Kaupunginhallitus 61 § 18.2.2019. Kaupunginhallitus 61 § 18.2.2019."
    assert len(parse_handlings(text)) == 1


def test_parse_handling_line_takes_only_whole_lines():
    assert parse_handling_line("Kaupunginhallitus 18.2.2019 § 61") == Handling(
        body="Kaupunginhallitus", section="61", date="2019-02-18")
    assert parse_handling_line("Kaupunginhallitus 61 § 18.2.2019") == Handling(
        body="Kaupunginhallitus", section="61", date="2019-02-18")
    assert parse_handling_line(
        "Kaupunginhallitus asetti kokouksessaan 18.2.2019 § 61 johtoryhmän") is None
    assert parse_handling_line("Muutosehdotus nro 1:") is None
    assert parse_handling_line(None) is None

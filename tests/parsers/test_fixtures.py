"""The one golden-fixture runner: every ``tests/parsers/<kind>/<NAME>.*`` page of every
page kind, parsed through the front door (:func:`parsers.parse`) and compared with its
``<NAME>.expected.json`` field by field, in the expectation language that
``kokousarkisto check-corpus`` uses (see :mod:`tests.parsers.fixtures`).

Adding a fixture is adding two files; adding a page kind is adding a folder to
:data:`tests.parsers.fixtures.FOLDERS`.
"""

from __future__ import annotations

import pytest

import parsers
from kokousarkisto.check_corpus import PathError, compare, resolve_path
from tests.parsers.fixtures import FOLDERS, HERE, all_fixtures, pages

FIXTURES = all_fixtures()


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.id for f in FIXTURES])
def test_fixture(fixture) -> None:
    record = parsers.parse(fixture.kind, fixture.data(), url=fixture.inputs.get("url"),
                           content_type=fixture.inputs.get("content_type"))
    assert isinstance(record, parsers.KINDS[fixture.kind].record_type)
    actual = record.to_dict()
    diffs: list[str] = []
    for key, want in fixture.expected.items():
        try:
            got = resolve_path(actual, key)
        except PathError:
            diffs.append(f"{key}: the {fixture.kind} record has no such field")
            continue
        diffs.extend(compare(got, want, key))
    assert not diffs, "\n".join(diffs)


@pytest.mark.parametrize("folder", sorted(FOLDERS))
def test_every_page_has_its_expectations_and_the_other_way_round(folder) -> None:
    names = {p.stem for p in pages(folder)}
    expected = {p.name.removesuffix(".expected.json")
                for p in (HERE / folder).glob("*.expected.json")}
    assert names, f"{folder}: no fixtures"
    assert not names - expected, f"{folder}: pages without expectations {names - expected}"
    assert not expected - names, f"{folder}: expectations without a page {expected - names}"


def test_every_kind_has_fixtures_and_every_fixture_a_field() -> None:
    kinds = {f.kind for f in FIXTURES}
    assert kinds == set(parsers.KINDS), set(parsers.KINDS) - kinds
    assert all(f.expected for f in FIXTURES)

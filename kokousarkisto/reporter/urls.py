"""The reporters' routes, in one place: short, readable, without the database name."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from kokousarkisto.links import item_path


def item(item_id: str) -> str:
    """``demo/2024091101-3`` → ``/kohta/demo/2024091101-3`` (the stable item link)."""
    return item_path(item_id)


def official(decision_id: str) -> str:
    return "/paatos/" + quote(decision_id, safe="/")


def meeting(meeting_id: int) -> str:
    return f"/kokous/{int(meeting_id)}"


def body(body_id: int, suffix: str = "") -> str:
    return f"/toimielin/{int(body_id)}{suffix}"


def case(source_id: str, case_number: str) -> str:
    return f"/diaari/{quote(source_id, safe='')}/{quote(case_number, safe='/')}"


def archive(sha256: str) -> str:
    return f"/arkisto/{sha256}"


def search(args: dict[str, str] | None = None, suffix: str = "") -> str:
    query = urlencode(args or {})
    return f"/haku{suffix}" + (f"?{query}" if query else "")


def link_for(row: dict) -> str:
    """The archive's page of a search row (an item or an official decision)."""
    if row.get("document_type") == "official":
        return official(row["id"])
    return item(row["id"])

"""A harvest against a misbehaving loopback site: failures are recorded, the rest is stored,
and a later run completes the work once the fault is gone."""

from __future__ import annotations

import json

from db.schema import open_db
from kokousarkisto import api
from scraper.http import FetchPolicy
from scraper.sources import Source
from tests.loopback import Reply, ScriptedServer

CGI = "/cgi/DREQUEST.PHP?page="
HTML_TYPE = {"Content-Type": "text/html; charset=windows-1252"}
POLICY = FetchPolicy(min_interval=0, retries=1, backoff=0.01)


def item_page(section: int, title: str) -> bytes:
    page = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
<title>Testilän kunta</title></head><body>
<table><tr><td align="center"><label class="h3">Kunnanhallitus<br>Pöytäkirja 12.05.2025 Pykälä {section}</label></td></tr></table>
<!--DATA_BEGIN-->
<div class="WordSection1">
<p class="MsoNormal" align="right">{100 + section}/2025</p>
<p class="MsoNormal">§ {section}</p>
<p class="MsoNormal"><b>{title}</b></p>
<p class="MsoNormal">Valmistelija / lisätiedot:</p>
<p class="MsoNormal">Outi Testaaja, puh. 040 111 2222</p>
<p class="MsoNormal">Kunnan talous on tasapainossa ja asia on valmisteltu huolellisesti.</p>
<p class="Sivuotsikko"><b>Päätösehdotus</b>&nbsp;&nbsp; Kunnanjohtaja Pekka Esimerkki</p>
<p class="Sisennetty">Kunnanhallitus hyväksyy esityksen.</p>
<p class="Sivuotsikko"><b>Päätös</b></p>
<p class="Sisennetty">Hyväksyttiin.</p>
</div>
<!--DATA_END--></body></html>"""
    return page.encode("cp1252")


def feed(base: str, ids: list[str]) -> bytes:
    items = "".join(
        f"<item><title><![CDATA[Kunnanhallitus 12.05.2025 / Asia {i}]]></title>"
        f"<link><![CDATA[{base}{CGI}meetingitem&id={i}]]></link></item>" for i in ids)
    return (f"<?xml version='1.0' encoding='iso-8859-1'?><rss version='2.0'><channel>"
            f"<title>Dynasty</title>{items}</channel></rss>").encode("latin-1")


def test_faults_are_recorded_and_healed_by_a_later_run(tmp_path):
    db_path = tmp_path / "k.db"
    with ScriptedServer() as site:
        r = site.routes
        r[f"{CGI}rss/meetings&show=100"] = [Reply(200, b"<rss><channel></channel></rss>")]
        r[f"{CGI}rss/meetingitems&show=100"] = [Reply(200, feed(site.url, ["900-1", "900-2"]))]
        r[f"{CGI}meetingitem&id=900-1"] = [Reply(200, item_page(1, "Talousarvion toteutuma"),
                                                 HTML_TYPE)]
        r[f"{CGI}meetingitem&id=900-2"] = [Reply(500, b"boom")]
        # 900-1.PDF is not routed: 404. An HTML error page is served where a PDF was linked.
        r["/kokous/900-2.PDF"] = [Reply(200, b"<html>virhe</html>", HTML_TYPE)]
        source = Source(id="testila", base_url=site.url)

        first = api.harvest(db_path, [source], policy=POLICY)
        assert (first.new_items, first.failed, first.exit_code) == (1, 1, 1)
        assert site.hits[f"{CGI}meetingitem&id=900-2"] == 2  # retried once
        db = open_db(db_path)
        row = db["items"].get("testila/900-1")
        assert row["title"] == "Talousarvion toteutuma" and row["decision"] == "Hyväksyttiin."
        assert "item pdf: HTTP 404" in json.loads(row["warnings"])
        errors = {f["url"].rsplit("=", 1)[-1]: f["status"] for f in db["fetches"].rows
                  if "page=meetingitem&" in f["url"]}
        assert errors == {"900-1": 200, "900-2": 500}

        r[f"{CGI}meetingitem&id=900-2"] = [Reply(200, item_page(2, "Tilinpäätös"), HTML_TYPE)]
        second = api.harvest(db_path, [source], policy=POLICY)
        assert (second.new_items, second.failed, second.exit_code) == (1, 0, 0)
        healed = db["items"].get("testila/900-2")
        assert healed["title"] == "Tilinpäätös" and healed["pdf_sha256"] is None
        assert "item pdf: not a PDF" in json.loads(healed["warnings"])
        assert db["items"].count == 2
        assert [r["exit_code"] for r in db["runs"].rows] == [1, 0]

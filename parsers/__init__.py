"""Pure parsers: bytes in, typed records out. No network, no database.

The front door. Outside ``parsers/``, code imports only this module and
:mod:`parsers.records`:

* :func:`parse` ``(kind, data, *, url=None, content_type=None) -> Record`` – any page kind
  of :data:`KINDS`, inside the one never-raise guard (:mod:`parsers.kinds`);
* :func:`detect_kind` – which kind a saved page is;
* :func:`parse_item` – an item's HTML page and its PDF, cross-checked into one record;
* :func:`attachment_text` – an attachment PDF's plain text for full-text search;
* :func:`handling_facts` – the facts of one handling read from its texts (outcome,
  effective decision, votes, motions, dissents, recusals, euro amounts, word diff;
  :mod:`parsers.facts`), with :data:`FACTS_VERSION`, :func:`case_key` and
  :func:`match_attendee`.

``PARSER_VERSION`` is stored beside every parsed row; bump it when a parser's output
changes so that ``reparse`` and result caches know older rows are stale.
"""

#: 2: attachment text through PDFium (pypdfium2); 3: earlier handlings keep their texts;
#: 4: Dynasty 10 page parts, agenda item numbers never titles, charset checked against bytes
#: 5: typed structure on records (PageStructure), pages of other systems unknown templates
#: 6: a meeting item's title is never a bare number or page label
#: 7: PDF people in one sentence, own heading lines, initials, cover and numbered headers
PARSER_VERSION = "7"

from parsers.crosscheck import parse_item  # noqa: E402
from parsers.facts import DEPARTED, PROPOSAL_STANDS, handling_facts  # noqa: E402
from parsers.facts import VERSION as FACTS_VERSION  # noqa: E402
from parsers.facts.cases import case_key  # noqa: E402
from parsers.facts.text import match_attendee  # noqa: E402
from parsers.kinds import KINDS, Kind, detect_kind, parse  # noqa: E402
from parsers.pdf.text import attachment_text  # noqa: E402

__all__ = ["DEPARTED", "FACTS_VERSION", "KINDS", "PARSER_VERSION", "PROPOSAL_STANDS", "Kind",
           "attachment_text", "case_key", "detect_kind", "handling_facts", "match_attendee",
           "parse", "parse_item"]

"""Pure parsers: bytes in, typed records out. No network, no database.

The front door. Outside ``parsers/``, code imports only this module and
:mod:`parsers.records`:

* :func:`parse` ``(kind, data, *, url=None, content_type=None) -> Record`` – any page kind
  of :data:`KINDS`, inside the one never-raise guard (:mod:`parsers.kinds`);
* :func:`detect_kind` – which kind a saved page is;
* :func:`parse_item` – an item's HTML page and its PDF, cross-checked into one record;
* :func:`attachment_text` – an attachment PDF's plain text for full-text search.

``PARSER_VERSION`` is stored beside every parsed row; bump it when a parser's output
changes so that ``reparse`` and result caches know older rows are stale.
"""

#: 2: attachment text through PDFium (pypdfium2); 3: earlier handlings keep their texts;
#: 4: Dynasty 10 page parts, agenda item numbers never titles, charset checked against bytes
#: 5: typed structure on records (PageStructure), pages of other systems unknown templates
PARSER_VERSION = "5"

from parsers.crosscheck import parse_item  # noqa: E402
from parsers.kinds import KINDS, Kind, detect_kind, parse  # noqa: E402
from parsers.pdf.text import attachment_text  # noqa: E402

__all__ = ["KINDS", "PARSER_VERSION", "Kind", "attachment_text", "detect_kind", "parse",
           "parse_item"]

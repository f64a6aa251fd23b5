"""Pure parsers: bytes in, typed records out. No network, no database.

``PARSER_VERSION`` is stored beside every parsed row; bump it when a parser's output
changes so that ``reparse`` and result caches know older rows are stale.
"""

PARSER_VERSION = "2"  # 2: attachment text through PDFium (pypdfium2)

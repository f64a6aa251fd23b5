"""Item PDFs and whole agenda/minutes PDFs split into items (``parse.parse``,
``parse.parse_minutes``), read from the layout of :mod:`parsers.pdf.layout`.
"""

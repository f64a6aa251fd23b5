"""The reporters' pages: Finnish search, item hub, meeting/body/case pages, feeds.

Plugin routes (see :mod:`kokousarkisto.reporter.routes`) that carry no database name,
so a link keeps working when the archive file is renamed. Datasette's own pages stay
under ``/<db>/`` for researchers. Every page reads the database through Datasette and
builds its SQL here: none depends on arbitrary SQL from the browser.
"""

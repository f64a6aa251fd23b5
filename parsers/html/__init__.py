"""HTML machinery shared by the page kinds: charsets and blocks (``blocks``), the page
with its links and labels (``page``), what a Dynasty link points at (``links``).
"""

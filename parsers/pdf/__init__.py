"""PDF machinery: words, lines and columns (``layout``); plain attachment text (``text``).
"""

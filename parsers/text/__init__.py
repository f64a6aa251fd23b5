"""Finnish text rules shared by every kind: the vocabulary (dates, case numbers, §,
headings, people: one regex per concept) and line-end de-hyphenation.
"""

"""A meeting document's page: items, attendees, appeal instructions (``parse.parse``).
"""

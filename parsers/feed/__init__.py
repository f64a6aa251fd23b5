"""Dynasty RSS feeds (``parse.parse``).
"""

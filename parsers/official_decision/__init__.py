"""Officials' decisions, viranhaltijapäätös (``parse.parse``).
"""

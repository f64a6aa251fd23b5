"""The body list and a body's meeting list (``parse.parse_body_list``,
``parse.parse_meeting_list``).
"""

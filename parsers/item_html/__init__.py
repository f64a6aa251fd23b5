"""An agenda item or minutes section page (Word-exported static ``/kokous/<M>-<k>.HTM``
or Dynasty 10 ``page=meetingitem``): ``parse.parse`` reads its blocks in order.
"""

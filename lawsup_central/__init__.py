"""lawsup-central: the county bureau's sync service for the stations' workbenches.

Trying it on one machine (a SQLite file in the user's data folder)::

    lawsup-central station add LX-CG 城关派出所      # prints a one-time enrolment code
    lawsup-central serve --port 8470
    lawsup enroll http://127.0.0.1:8470 CODE          # at the station
    lawsup sync

Production: ``--db postgresql+psycopg://user@host/db`` and ``--workers N`` behind a
TLS-terminating proxy (or ``--ssl-certfile``/``--ssl-keyfile``). The protocol is in
protocol.py; the station's side in lawsup_desktop/sync/.
"""

PROTOCOL_VERSION = 1

"""Serve the app in its own process for the end-to-end tests of kiosk_client:
``python -m tests.kiosk_server PORT`` (0 picks a free port) prints the port, then serves.
The database comes from DATABASE_URL and the secret from KIOSK_SECRET_KEY."""

import sys

from werkzeug.serving import make_server

from kiosk import create_app

if __name__ == "__main__":
    server = make_server("127.0.0.1", int(sys.argv[1]), create_app(), threaded=True)
    print(server.server_port, flush=True)
    server.serve_forever()

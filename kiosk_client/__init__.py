"""The program on the kiosk PC: enrols the device, reports its printer, and prints the receipts
the server queues for it. It talks to the server only through the JSON API."""

__version__ = "0.1.0"

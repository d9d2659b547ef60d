"""Kiosk devices: enrolment, device tokens, service state, and the print jobs they carry out."""

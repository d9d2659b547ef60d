"""The MPP front office: queue tickets taken at a kiosk or booked on a phone, tied to the
request they are for, called by one counter at a time, announced on a display, and measured."""

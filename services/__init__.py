"""The e-Kiosk domain: models, pure decisions and use cases, with no Flask import."""

"""The service catalog: its file format, import and export, versions and queries."""

"""Outputs and outcomes of every agency: the command center, the public performance page, the
yearly evaluation and the Prometheus metrics all read their figures from here."""

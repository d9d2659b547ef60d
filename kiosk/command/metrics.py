"""Prometheus metrics at /metrics, read from the database at each scrape. Only loopback callers
or those presenting the metrics token may read them."""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Iterator

from flask import Response, abort, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from kiosk.command import metrics_bp
from kiosk.extensions import db
from services.performance.metrics import current_gauges


class DatabaseCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        gauges = current_gauges(db.session, tz=current_app.config["CITY_TIMEZONE"])
        requests = CounterMetricFamily("ekiosk_requests", "Requests made, by channel",
                                       labels=["channel"])
        for channel, count in gauges.requests_by_channel.items():
            requests.add_metric([channel], count)
        yield requests
        backlog = GaugeMetricFamily("ekiosk_backlog_tasks", "Open tasks per agency",
                                    labels=["agency"])
        overdue = GaugeMetricFamily("ekiosk_overdue_tasks", "Tasks past their deadline",
                                    labels=["agency"])
        for agency, (open_count, late) in gauges.backlog_by_agency.items():
            backlog.add_metric([agency], open_count)
            overdue.add_metric([agency], late)
        yield backlog
        yield overdue
        yield GaugeMetricFamily("ekiosk_kiosks_online", "Kiosks with a recent heartbeat",
                                value=gauges.kiosks_online)
        yield GaugeMetricFamily("ekiosk_kiosks", "Kiosks registered", value=gauges.kiosks)
        yield GaugeMetricFamily("ekiosk_print_jobs_waiting", "Print jobs not yet printed",
                                value=gauges.print_jobs_waiting)


def allowed() -> bool:
    token = current_app.config.get("METRICS_TOKEN") or ""
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


@metrics_bp.get("/metrics")
def metrics():
    if not allowed():
        abort(403)
    registry = CollectorRegistry()
    registry.register(DatabaseCollector())
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)

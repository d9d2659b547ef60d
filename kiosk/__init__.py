"""The e-Kiosk web layer: the application factory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from kiosk.config import finish_config, load_config, secure_instance_files

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Create and configure an e-Kiosk application."""
    instance_path = os.environ.get("KIOSK_INSTANCE_PATH") or str(ROOT / "instance")
    app = Flask(
        __name__,
        instance_path=str(Path(instance_path).resolve()),
        template_folder=str(ROOT / "templates"),
        static_folder="static",
    )
    Path(app.instance_path).mkdir(mode=0o700, parents=True, exist_ok=True)
    app.config.from_mapping(load_config(app.instance_path))
    if config:
        app.config.from_mapping(config)
    finish_config(app.config)
    secure_instance_files(app.instance_path, app.config["SQLALCHEMY_DATABASE_URI"])

    register_logging(app)
    register_public_address_guard(app)
    register_input_guard(app)
    register_deployment(app)
    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_security_headers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_logging(app: Flask) -> None:
    from kiosk.privacy_log import install_logging

    install_logging(app)


def register_public_address_guard(app: Flask) -> None:
    """Without KIOSK_PUBLIC_BASE_URL outside demo mode, every request is refused with the reason
    (links would otherwise carry a Host header a client chose); commands still run."""
    from flask import Response

    from kiosk.config import require_public_address

    try:
        require_public_address(app.config)
    except RuntimeError as missing:
        reason = app.config["PUBLIC_ADDRESS_MISSING"] = str(missing)  # gunicorn.conf.py reads it

        def refuse() -> Response:
            app.logger.error("%s", reason)
            return Response(f"{reason}\n", status=503, mimetype="text/plain")

        app.before_request(refuse)


def register_input_guard(app: Flask) -> None:
    from kiosk.input_guard import install_input_guard

    install_input_guard(app)


def register_deployment(app: Flask) -> None:
    """Trust X-Forwarded-For/-Proto from the configured number of proxies; encrypt sessions."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    from kiosk.sessions import install_encrypted_sessions

    if hops := app.config["TRUSTED_PROXIES"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    install_encrypted_sessions(app)


def register_extensions(app: Flask) -> None:
    from kiosk import auth, ratelimit
    from kiosk.extensions import (
        babel,
        csrf,
        db,
        init_seams,
        init_write_intent,
        limiter,
        login_manager,
    )
    from kiosk.i18n import select_locale, select_timezone
    from services.db import install_sqlite_behaviour

    install_sqlite_behaviour()
    db.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)
    init_seams(app)
    init_write_intent(app)
    ratelimit.install_lookup_limit(app)
    ratelimit.install_hit_keeping(app)
    auth.init_login(login_manager, app)


def register_blueprints(app: Flask) -> None:
    from kiosk.admin import bp as admin_bp
    from kiosk.anjungan import bp as anjungan_bp
    from kiosk.antrean import bp as antrean_bp
    from kiosk.api import bp as api_bp
    from kiosk.auth import bp as auth_bp
    from kiosk.bank import bp as bank_bp
    from kiosk.bank.citizen import bills_bp
    from kiosk.bendahara import bp as bendahara_bp
    from kiosk.clerk import bp as clerk_bp
    from kiosk.command import bp as command_bp
    from kiosk.command import metrics_bp
    from kiosk.command import public_bp as kinerja_bp
    from kiosk.complaints import bp as complaints_bp
    from kiosk.coordination import bp as coordination_bp
    from kiosk.layar import bp as layar_bp
    from kiosk.loket import bp as loket_bp
    from kiosk.notifications import bp as notifications_bp
    from kiosk.officer import bp as officer_bp
    from kiosk.open311 import bp as open311_bp
    from kiosk.pejabat import bp as pejabat_bp
    from kiosk.public import bp as public_bp
    from kiosk.receipts import bp as receipts_bp
    from kiosk.status import bp as track_bp
    from kiosk.verify import bp as verify_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(clerk_bp, url_prefix="/clerk")
    app.register_blueprint(officer_bp, url_prefix="/petugas")
    app.register_blueprint(command_bp, url_prefix="/command")
    app.register_blueprint(kinerja_bp)
    app.register_blueprint(metrics_bp)
    app.register_blueprint(verify_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(open311_bp, url_prefix="/open311")
    app.register_blueprint(anjungan_bp, url_prefix="/kiosk")
    app.register_blueprint(receipts_bp)
    app.register_blueprint(track_bp)
    app.register_blueprint(complaints_bp)
    app.register_blueprint(coordination_bp, url_prefix="/koordinator")
    app.register_blueprint(notifications_bp)
    app.register_blueprint(bank_bp, url_prefix="/snap")
    app.register_blueprint(bills_bp)
    app.register_blueprint(bendahara_bp, url_prefix="/bendahara")
    app.register_blueprint(loket_bp, url_prefix="/loket")
    app.register_blueprint(layar_bp)
    app.register_blueprint(antrean_bp)
    app.register_blueprint(pejabat_bp, url_prefix="/pejabat")


def register_error_handlers(app: Flask) -> None:
    from kiosk.errors import install_error_handlers

    install_error_handlers(app)


def register_security_headers(app: Flask) -> None:
    from kiosk.security import install_security_headers

    install_security_headers(app)


def register_template_helpers(app: Flask) -> None:
    from kiosk.i18n import install_form_translations, install_template_helpers

    install_template_helpers(app)
    install_form_translations()


def register_commands(app: Flask) -> None:
    from kiosk.commands import install_commands

    install_commands(app)

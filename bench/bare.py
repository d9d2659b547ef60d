"""The yardstick: a bare Flask + Flask-SQLAlchemy app on the same stack as e-Kiosk, whose one
endpoint inserts one JSON row and commits, and whose other reads one task row by its primary key
(the bare indexed GET). ``gunicorn 'bench.bare:create_app()'`` with
DATABASE_URL set."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, String, create_engine, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.database import normalise_url
from services.db import install_sqlite_behaviour


class BareBase(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=BareBase)


class BareRow(BareBase):
    __tablename__ = "bare_row"

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True, nullable=True)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)


def create_bare_table(url: str) -> None:
    """Make the one table (before gunicorn starts, so its workers never race to make it)."""
    install_sqlite_behaviour()
    engine = create_engine(normalise_url(url), hide_parameters=True)
    BareBase.metadata.create_all(engine)
    engine.dispose()


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_url(os.environ["DATABASE_URL"])
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}  # as e-Kiosk's
    install_sqlite_behaviour()  # WAL, busy timeout, IMMEDIATE for writers: as e-Kiosk's
    db.init_app(app)

    @app.get("/healthz")
    def healthz() -> Any:
        return {"status": "ok"}

    @app.post("/rows")
    def insert_row() -> Any:
        row = BareRow(idempotency_key=request.headers.get("Idempotency-Key"),
                      body=request.get_json())
        db.session.add(row)
        db.session.commit()
        return jsonify({"id": row.id}), 201

    @app.get("/tasks/<int:task_id>")
    def read_task(task_id: int) -> Any:
        """The bare indexed GET: one task row by its primary key, as JSON."""
        row = db.session.execute(text("SELECT id, status, due_at FROM task WHERE id = :id"),
                                 {"id": task_id}).first()
        if row is None:
            return jsonify({}), 404
        return jsonify({"id": row.id, "status": row.status, "due_at": str(row.due_at)})

    return app

"""Every admin form opens and saves unchanged without a server error (a missing library such as
email_validator made every agency's edit form answer 500)."""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from werkzeug.datastructures import MultiDict

from services.demo import load_demo
from services.models import Role
from tests.builders import login, make_user

# Pages whose forms create or edit something: they are opened and saved as they come.
FORM_PAGE_ENDINGS = ("/edit", "/new", "/standard")


class PageReader(HTMLParser):
    """The links of a page and its POST forms with the values they would send unchanged."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._form: list[tuple[str, str]] | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        elif tag == "form" and values.get("method", "get").lower() == "post":
            self._form = []
            self.forms.append((values.get("action", ""), self._form))
        elif self._form is None or "disabled" in values:
            return
        elif tag == "input" and values.get("name"):
            kind = values.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in values:
                    self._form.append((values["name"], values.get("value", "y")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self._form.append((values["name"], values.get("value", "")))
        elif tag == "select" and values.get("name"):
            self._select, self._options = values["name"], []
            self._multiple = "multiple" in values
        elif tag == "option" and self._select is not None:
            self._options.append((values.get("value", ""), "selected" in values))
        elif tag == "textarea" and values.get("name"):
            self._textarea, self._text = values["name"], ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            chosen = [value for value, selected in self._options if selected]
            if not chosen and self._options and not self._multiple:
                chosen = [self._options[0][0]]
            self._form.extend((self._select, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None


def read_page(html: str) -> PageReader:
    reader = PageReader()
    reader.feed(html)
    return reader


def admin_pages(client) -> dict[str, str]:
    """Every page under /admin/ reached by links from /admin/, with its HTML."""
    seen: dict[str, str] = {}
    queue = deque(["/admin/"])
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        response = client.get(path)
        assert response.status_code < 500, f"GET {path} answered {response.status_code}"
        seen[path] = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        for link in read_page(seen[path]).links:
            target = urlsplit(urljoin(path, link))
            if not target.netloc and target.path.startswith("/admin/") and not target.query:
                queue.append(target.path)
    return seen


def test_every_admin_form_opens_and_saves_unchanged_without_a_server_error(client, app_session):
    load_demo(app_session)
    make_user(app_session, "boss", Role.ADMIN)
    make_user(app_session, "with.email", Role.CLERK, agency="DINKES").email = "clerk@kota.go.id"
    app_session.commit()
    login(client, "boss")
    assert client.post("/admin/holidays/new", data={
        "day": "2031-03-03", "name_id": "Libur uji", "name_en": "Test holiday"}).status_code == 302
    assert client.post("/admin/webhooks/new", data={
        "name": "Dasbor", "url": "https://dasbor.example.go.id/hook",
        "event_kinds": "submitted", "active": "y"}).status_code == 200
    pages = admin_pages(client)
    form_pages = [path for path in pages if path.endswith(FORM_PAGE_ENDINGS)]
    # The demo's 13 agencies, its users, services, fields, steps, a holiday, a webhook.
    for expected in ("/admin/agencies/DINKES/edit", "/admin/agencies/new", "/admin/users/new",
                     "/admin/holidays/new", "/admin/webhooks/new", "/admin/kiosks/new",
                     "/admin/api-keys/new", "/admin/services/new"):
        assert expected in form_pages
    assert sum(p.startswith("/admin/agencies/") and p.endswith("/edit") for p in form_pages) >= 13
    for kind in ("users", "holidays", "webhooks"):
        assert any(p.startswith(f"/admin/{kind}/") and p.endswith("/edit") for p in form_pages)
    assert any("/fields/" in p and p.endswith("/edit") for p in form_pages)
    assert any("/steps/" in p and p.endswith("/edit") for p in form_pages)
    failures = []
    for path in form_pages:
        own_forms = [fields for action, fields in read_page(pages[path]).forms
                     if urlsplit(urljoin(path, action or path)).path == path]
        assert own_forms, f"{path} has no form that posts to itself"
        for fields in own_forms:
            response = client.post(path, data=MultiDict(fields))
            if response.status_code >= 500:
                failures.append(f"POST {path} answered {response.status_code}")
    assert failures == []

"""Staff sign-in, roles and CSRF."""

from services.models import Role
from tests.builders import login, make_user


def test_admin_pages_send_anonymous_visitors_to_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_admin_pages_refuse_a_clerk(client, app_session):
    make_user(app_session, "clerk1", Role.CLERK)
    login(client, "clerk1")
    assert client.get("/admin/").status_code == 403


def test_an_admin_signs_in_and_reaches_admin(client, app_session):
    make_user(app_session, "boss", Role.ADMIN)
    response = login(client, "boss")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_wrong_password_signs_nobody_in(client, app_session):
    make_user(app_session, "boss", Role.ADMIN)
    response = login(client, "boss", "wrong-password-1")
    assert "Nama pengguna atau kata sandi salah" in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_a_deactivated_user_cannot_sign_in(client, app_session):
    user = make_user(app_session, "gone", Role.ADMIN)
    user.active = False
    app_session.commit()
    login(client, "gone")
    assert client.get("/admin/").status_code == 302


def test_passwords_are_stored_hashed(app_session):
    user = make_user(app_session, "boss", Role.ADMIN, password="plain-text-secret")
    assert "plain-text-secret" not in user.password_hash
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_login_form_refuses_a_post_without_csrf_token(app, client, app_session):
    app.config["WTF_CSRF_ENABLED"] = True
    make_user(app_session, "boss", Role.ADMIN)
    response = login(client, "boss")
    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302


def test_pages_speak_indonesian_by_default_and_english_on_request(client):
    assert "Masuk petugas" in client.get("/auth/login").get_data(as_text=True)
    english = client.get("/auth/login?lang=en").get_data(as_text=True)
    assert "Staff sign-in" in english and 'lang="en"' in english
    assert "Staff sign-in" in client.get("/auth/login").get_data(as_text=True)  # remembered


def test_every_page_forbids_other_hosts_and_framing(client):
    response = client.get("/auth/login")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"

"""The audit log page lists the latest changes and filters them by entity."""



def test_the_audit_log_shows_changes_and_filters_by_entity(admin_client):
    admin_client.post("/admin/agencies/DINSOS/edit", data={
        "kind": "dinas", "name_id": "Dinas Sosial", "name_en": "Social Affairs", "active": "y"})
    admin_client.post("/admin/holidays/new", data={
        "day": "2026-12-25", "name_id": "Hari Natal", "name_en": "Christmas Day"})
    page = admin_client.get("/admin/audit/").get_data(as_text=True)
    assert "agency DINSOS" in page and "holiday 2026-12-25" in page and "diubah" in page
    assert "boss" in page
    only_agencies = admin_client.get("/admin/audit/?entity=agency").get_data(as_text=True)
    assert "agency DINSOS" in only_agencies and "holiday 2026-12-25" not in only_agencies
    one_key = admin_client.get("/admin/audit/?entity=holiday&key=2026-01-01").get_data(as_text=True)
    assert "Belum ada catatan" in one_key


def test_the_home_page_shows_the_latest_changes(admin_client):
    admin_client.post("/admin/agencies/DINSOS/deactivate")
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert "agency DINSOS" in page and "dinonaktifkan" in page
    assert 'href="/admin/kiosks"' in page

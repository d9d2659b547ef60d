"""Take the screenshots of the staff guides (docs/panduan/) from the demo, so they never drift
from the product.

    make docs-screenshots                       # a temporary demo on SQLite, then docs/img/*.png
    python tools/docs_screenshots.py --url http://127.0.0.1:8000 --kiosk-token TOKEN
                                                # against a running `make demo` (it adds requests
                                                # and a complaint to that demo's data)

Without --url it makes a temporary instance folder, migrates the embedded SQLite database,
loads the demo (`flask demo load`, `flask demo history`), serves it with gunicorn on a free
loopback port, files a few requests and complaints through the API as the demo kiosk, and then
drives Debian's Chromium (Playwright, the options of tests/browser.py) through the screens of
each guide as the demo accounts. PNGs are reduced to a 256-colour palette, which keeps a
screenshot of a page at a few tens of KB. `--text DIR` also writes each screen's text, for
whoever writes the guides.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "kotacontoh-demo"  # the demo accounts' published password  # nosec B105
DESK = {"width": 1280, "height": 800}
KIOSK = {"width": 1080, "height": 1920}
CHROMIUM = os.environ.get("KIOSK_CHROMIUM", "/usr/bin/chromium")
# The same options as the browser tests (tests/browser.py), kept here so that this tool does not
# import the test package.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def say(text: str) -> None:
    print(f"docs-screenshots: {text}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as answer:  # nosec B310
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"docs-screenshots: the demo at {url} did not answer /healthz")


@contextmanager
def temporary_demo(token: str) -> Iterator[str]:
    """The demo on the embedded SQLite default, in a temporary instance folder; its URL."""
    instance = Path(tempfile.mkdtemp(prefix="ekiosk-docs-"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    port = free_port()
    env.update(KIOSK_INSTANCE_PATH=str(instance), KIOSK_DEMO_MODE="1", FLASK_APP="wsgi:app",
               KIOSK_DEMO_DEVICE_TOKEN=token, KIOSK_NOTIFY_QUIET_HOURS="none", PORT=str(port),
               KIOSK_WORKERS="1", PYTHONPATH=str(ROOT))
    flask = [sys.executable, "-m", "flask"]
    for command in (["db", "upgrade"], ["demo", "load"], ["demo", "history"]):
        say("flask " + " ".join(command))
        subprocess.run(flask + command, cwd=ROOT, env=env, check=True,  # nosec B603
                       stdout=subprocess.DEVNULL)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(  # nosec B603
        [str(gunicorn), "--config", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        shutil.rmtree(instance, ignore_errors=True)


def post_json(url: str, token: str, body: dict) -> dict:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:  # nosec B310
        return json.loads(answer.read())


def file_demo_work(url: str, token: str) -> None:
    """Work for the queues the guides show: SKTM requests for Kecamatan Kota Utara and two
    complaints for the coordinator, filed as the demo kiosk through the API."""
    people = [("Siti Rahayu", "3578014506900001"), ("Bambang Wijaya", "3578011203850002"),
              ("Dewi Lestari", "3578015708920003")]
    for name, nik in people:
        post_json(f"{url}/api/v1/requests", token, {
            "service_code": "SKTM", "applicant": {"nik": nik, "name": name,
                                                  "phone": "081234567890"},
            "answers": {"kecamatan": "utara", "kelurahan": "Sukamaju", "rt_rw": "003/005",
                        "purpose": "pendidikan", "household_members": "4",
                        "monthly_income": "1.500.000", "in_dtks": "ya"}})
    for name, nik, reason in [("Agus Salim", "3578010101800004", "rusak"),
                              ("Maria Ulfa", "3578014402950005", "rusak")]:
        post_json(f"{url}/api/v1/requests", token, {
            "service_code": "KTP-EL-GANTI", "applicant": {"nik": nik, "name": name,
                                                          "phone": "081355556666"},
            "answers": {"replacement_reason": reason, "pickup_location": "mpp"}})
    post_json(f"{url}/api/v1/complaints", token, {
        "category": "infrastruktur", "privacy": "public",
        "description": "Lampu jalan di Jalan Melati depan SD Negeri 3 mati sejak dua minggu. "
                       "Jalan gelap dan rawan kecelakaan pada malam hari.",
        "location": "Jl. Melati, Kelurahan Sukamaju",
        "complainant": {"name": "Budi Santoso", "phone": "081298765432"}})
    post_json(f"{url}/api/v1/complaints", token, {
        "category": "kesehatan", "privacy": "confidential",
        "description": "Antrean di Puskesmas Kota Utara sangat panjang dan loket pendaftaran "
                       "baru buka pukul sembilan, padahal jadwalnya pukul tujuh.",
        "complainant": {"name": "Rina Marlina", "phone": "081311112222"}})


def optimise(path: Path) -> None:
    """A 256-colour palette: screenshots of pages keep their look at a fraction of the size."""
    try:
        from PIL import Image
    except ImportError:  # Pillow comes with reportlab; without it the PNGs stay as taken
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT,
                                              dither=Image.Dither.NONE)
    small.save(path, optimize=True)


class Camera:
    """Saves screenshots (and, when asked, each screen's text) under fixed names."""

    def __init__(self, out: Path, text_dir: Path | None) -> None:
        self.out, self.text_dir, self.taken = out, text_dir, []

    def shot(self, page, name: str, *, full: bool = False, locator=None,  # type: ignore[no-untyped-def]
             max_height: int = 1800) -> None:
        path = self.out / f"{name}.png"
        page.wait_for_load_state("load")
        if locator is not None:
            target = page.locator(locator).first
            target.scroll_into_view_if_needed()
            target.screenshot(path=str(path))
        elif full:
            height = min(page.evaluate("document.documentElement.scrollHeight"), max_height)
            size = page.viewport_size
            page.screenshot(path=str(path), full_page=True,
                            clip={"x": 0, "y": 0, "width": size["width"], "height": height})
        else:
            page.screenshot(path=str(path))
        optimise(path)
        self.taken.append(path)
        if self.text_dir is not None:
            (self.text_dir / f"{name}.txt").write_text(
                f"{page.url}\n\n{page.inner_text('body')}\n", encoding="utf-8")
        say(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def sign_in(page, url: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{url}/auth/login")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state("load")


def sign_out(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_load_state("load")


def clerk_guide(browser, url: str, camera: Camera) -> None:  # type: ignore[no-untyped-def]
    """Panduan Petugas: sign in, the queue, claim, the request, approve, return, supervisor."""
    context = browser.new_context(viewport=DESK)
    page = context.new_page()
    page.goto(f"{url}/auth/login")
    page.get_by_label("Nama pengguna").fill("clerk.kec-utara")
    camera.shot(page, "masuk")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state("load")
    camera.shot(page, "petugas-antrean")
    page.get_by_role("button", name="Ambil tugas berikutnya").click()
    page.wait_for_load_state("load")
    camera.shot(page, "petugas-permohonan", full=True, max_height=1700)
    camera.shot(page, "petugas-tindakan", locator="section:has(h2:has-text('Tindakan'))")
    page.locator("summary", has_text="Kembalikan untuk dilengkapi").click()
    camera.shot(page, "petugas-kembalikan", locator="section:has(h2:has-text('Tindakan'))")
    page.locator("details[open] summary", has_text="Kembalikan untuk dilengkapi").click()
    page.get_by_label("Catatan").first.fill("Data sudah sesuai dengan kunjungan lapangan.")
    page.get_by_role("button", name="Setujui tahap ini").click()
    page.wait_for_load_state("load")
    camera.shot(page, "petugas-disetujui")
    page.goto(f"{url}/clerk/?view=mine")
    camera.shot(page, "petugas-tugas-saya")
    sign_out(page)
    # The last stage (Dinas Sosial) approves the request: the document is issued.
    sign_in(page, url, "clerk.dinsos")
    page.get_by_role("button", name="Ambil tugas berikutnya").click()
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Setujui tahap ini").click()
    page.wait_for_load_state("load")
    camera.shot(page, "petugas-dokumen", locator="section:has(h2:has-text('Dokumen'))")
    sign_out(page)
    sign_in(page, url, "clerk.disdukcapil")
    page.get_by_role("button", name="Ambil tugas berikutnya").click()
    page.wait_for_load_state("load")
    held = page.url
    sign_out(page)
    sign_in(page, url, "spv.disdukcapil")
    page.goto(f"{url}/clerk/supervisor")
    camera.shot(page, "petugas-supervisor", full=True, max_height=1400)
    page.goto(held)
    for summary in ("Alihkan (supervisor)", "Perpanjang batas waktu (supervisor)"):
        page.locator("summary", has_text=summary).click()
    camera.shot(page, "petugas-supervisor-tindakan",
                locator="section:has(h2:has-text('Tindakan'))")
    context.close()


def coordinator_guide(browser, url: str, camera: Camera) -> None:  # type: ignore[no-untyped-def]
    """Panduan Koordinator Pengaduan, and the agency's answer (Panduan Petugas)."""
    context = browser.new_context(viewport=DESK)
    page = context.new_page()
    sign_in(page, url, "koordinator.pengaduan")
    camera.shot(page, "koordinator-kotak-masuk")
    page.locator("a.code").first.click()
    page.wait_for_load_state("load")
    code = page.url.rstrip("/").rsplit("/", 1)[-1]
    camera.shot(page, "koordinator-pengaduan", full=True, max_height=1900)
    camera.shot(page, "koordinator-teruskan",
                locator="section:has(h2:has-text('Verifikasi dan teruskan'))")
    page.locator("#forward-note").fill("Mohon dicek dan diperbaiki minggu ini.")
    page.locator("#do-forward").click()
    page.wait_for_load_state("load")
    camera.shot(page, "koordinator-diteruskan")
    page.goto(f"{url}/koordinator/?view=forwarded")
    camera.shot(page, "koordinator-diteruskan-daftar")
    sign_out(page)

    sign_in(page, url, "clerk.pupr")
    page.goto(f"{url}/clerk/pengaduan")
    camera.shot(page, "petugas-pengaduan-antrean")
    page.goto(f"{url}/clerk/pengaduan/{code}")
    page.locator("#answer-text").fill(
        "Terima kasih atas laporannya. Petugas Dinas PUPR sudah mengganti lampu jalan di "
        "Jl. Melati pada hari ini. Lampu sudah menyala kembali.")
    camera.shot(page, "petugas-pengaduan-jawab", full=True, max_height=1500)
    page.locator("#send-answer").click()
    page.wait_for_load_state("load")
    sign_out(page)

    sign_in(page, url, "koordinator.pengaduan")
    page.goto(f"{url}/koordinator/pengaduan/{code}")
    camera.shot(page, "koordinator-publikasi",
                locator="section:has(h2:has-text('Papan pengaduan publik'))")
    page.locator("#do-publish").click()
    page.wait_for_load_state("load")
    page.goto(f"{url}/pengaduan")
    camera.shot(page, "pengaduan-papan-publik", full=True, max_height=1400)
    context.close()


def admin_guide(browser, url: str, camera: Camera) -> None:  # type: ignore[no-untyped-def]
    """Panduan Admin: the catalog, users, kiosks, holidays, outbox, audit log."""
    context = browser.new_context(viewport=DESK)
    page = context.new_page()
    sign_in(page, url, "admin")
    camera.shot(page, "admin-beranda")
    for name, path, full in [
            ("admin-layanan", "/admin/services/", True),
            ("admin-layanan-sktm", "/admin/services/SKTM/", True),
            ("admin-standar", "/admin/services/SKTM/standard", True),
            ("admin-isian", "/admin/services/SKTM/fields/", True),
            ("admin-tahapan", "/admin/services/SKTM/steps/", True),
            ("admin-pratinjau", "/admin/services/SKTM/preview", True),
            ("admin-pengguna", "/admin/users/", True),
            ("admin-pengguna-baru", "/admin/users/new", True),
            ("admin-kios", "/admin/kiosks", True),
            ("admin-hari-libur", "/admin/holidays/", True),
            ("admin-kotak-keluar", "/admin/outbox/", False),
            ("admin-audit", "/admin/audit", False)]:
        page.goto(f"{url}{path}")
        camera.shot(page, name, full=full, max_height=1500)
    context.close()


def leadership_guide(browser, url: str, camera: Camera) -> None:  # type: ignore[no-untyped-def]
    """Panduan Pimpinan: the command center, a year, the public /kinerja."""
    context = browser.new_context(viewport=DESK)
    page = context.new_page()
    sign_in(page, url, "pimpinan")
    page.goto(f"{url}/command/")
    camera.shot(page, "pimpinan-pusat-komando")
    camera.shot(page, "pimpinan-pusat-komando-lengkap", full=True, max_height=2600)
    page.goto(f"{url}/command/?period=year")
    camera.shot(page, "pimpinan-tahun-ini", full=True, max_height=1800)
    page.goto(f"{url}/kinerja")
    camera.shot(page, "pimpinan-kinerja-publik", full=True, max_height=1800)
    context.close()


def officer_guide(browser, url: str, token: str, camera: Camera) -> None:  # type: ignore[no-untyped-def]
    """Panduan Petugas MPP: enrol a kiosk, sign in there, calls, the desk, assisted filing."""
    kiosk = browser.new_context(viewport=KIOSK, has_touch=True)
    screen = kiosk.new_page()
    screen.goto(f"{url}/kiosk/enrol")
    camera.shot(screen, "mpp-daftarkan-kios")
    screen.fill("#token", token)
    screen.click("button[type=submit]")
    screen.wait_for_url(f"{url}/kiosk/")
    camera.shot(screen, "mpp-layar-awal")

    desk = browser.new_context(viewport=DESK)
    desk_page = desk.new_page()
    sign_in(desk_page, url, "officer.mpp")
    camera.shot(desk_page, "mpp-meja-kosong")

    screen.tap("#call-officer")
    screen.wait_for_load_state("load")
    screen.get_by_text("Petugas sudah dipanggil").first.wait_for()
    camera.shot(screen, "mpp-kios-memanggil")
    desk_page.get_by_role("button", name="Saya datang").first.wait_for(timeout=20_000)
    camera.shot(desk_page, "mpp-meja-panggilan")
    desk_page.get_by_role("button", name="Saya datang").first.click()
    desk_page.wait_for_load_state("load")
    screen.get_by_text("Petugas segera datang").first.wait_for(timeout=20_000)
    camera.shot(screen, "mpp-kios-petugas-datang")
    desk.close()

    screen.goto(f"{url}/kiosk/officer")
    camera.shot(screen, "mpp-masuk-di-kios")
    screen.fill("#username", "officer.mpp")
    screen.fill("#password", PASSWORD)
    screen.click("form.form button[type=submit]")
    screen.wait_for_load_state("load")
    camera.shot(screen, "mpp-layar-awal-didampingi")
    screen.goto(f"{url}/kiosk/officer")
    camera.shot(screen, "mpp-panggilan-di-kios")
    screen.goto(f"{url}/kiosk/")
    screen.tap("a[href$='/kiosk/category/sosial']")
    screen.tap("a[href$='/kiosk/service/SKTM']")
    camera.shot(screen, "mpp-standar-layanan")
    screen.tap("#start")
    screen.wait_for_load_state("load")
    screen.fill("#nik", "3578014506900001")
    screen.fill("#name", "Siti Aminah")
    screen.fill("#phone", "081234567890")
    camera.shot(screen, "mpp-identitas")
    screen.tap("#osk [data-key='DONE']")
    screen.tap("form.form button[type=submit]")
    screen.tap("label[for='kecamatan-0']")
    screen.fill("#kelurahan", "Sukamaju")
    screen.fill("#rt_rw", "003/005")
    screen.tap("form.form button[type=submit]")
    screen.tap("label[for='purpose-0']")
    screen.fill("#household_members", "4")
    screen.fill("#monthly_income", "1.500.000")
    screen.tap("label[for='in_dtks-0']")
    screen.tap("form.form button[type=submit]")
    screen.wait_for_url("**/kiosk/apply/check")
    camera.shot(screen, "mpp-periksa", full=True, max_height=2600)
    screen.tap("#submit")
    screen.wait_for_url("**/kiosk/apply/done")
    camera.shot(screen, "mpp-tanda-terima")
    kiosk.close()


GUIDES: dict[str, Callable[..., None]] = {
    "petugas": clerk_guide, "koordinator": coordinator_guide, "admin": admin_guide,
    "pimpinan": leadership_guide, "mpp": officer_guide}


def take_all(url: str, token: str, out: Path, text_dir: Path | None, only: list[str]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    camera = Camera(out, text_dir)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                             headless=True)
        try:
            for name, guide in GUIDES.items():
                if only and name not in only:
                    continue
                say(f"guide {name}")
                if guide is officer_guide:
                    guide(browser, url, token, camera)
                else:
                    guide(browser, url, camera)
        finally:
            browser.close()
    return camera.taken


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running demo (default: start a temporary one)")
    parser.add_argument("--kiosk-token", default="docs-kiosk-token",
                        help="the demo kiosk's device token (KIOSK_DEMO_DEVICE_TOKEN)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    parser.add_argument("--text", type=Path, help="also write each screen's text here")
    parser.add_argument("--only", nargs="*", default=[], choices=sorted(GUIDES),
                        help="only these guides' screenshots")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        print(f"!!! {CHROMIUM} is not installed: no screenshots taken (apt-get install chromium)",
              file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    if args.text:
        args.text.mkdir(parents=True, exist_ok=True)
    if args.url:
        file_demo_work(args.url, args.kiosk_token)
        taken = take_all(args.url.rstrip("/"), args.kiosk_token, args.out, args.text, args.only)
    else:
        with temporary_demo(args.kiosk_token) as url:
            file_demo_work(url, args.kiosk_token)
            taken = take_all(url, args.kiosk_token, args.out, args.text, args.only)
    total = sum(path.stat().st_size for path in taken)
    say(f"{len(taken)} screenshots, {total / 1024:.0f} KB in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())

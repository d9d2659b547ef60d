"""Time a receipt against its yardsticks in one run: a one-line reportlab PDF and a page that
holds only the receipt's QR code (encoding the QR is most of a receipt's cost).
Goal: the whole receipt costs at most 1.5 times the QR-only page at the median.

    .venv/bin/python -m bench.receipt [--rounds 200] [--paper 80]
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable

from reportlab.pdfgen.canvas import Canvas

from kiosk_client.receipt import Receipt, render_qr_page, render_receipt

RECEIPT = Receipt(
    tracking_code="K7QM-4XNA-P",
    service_name="Surat Keterangan Tidak Mampu (SKTM)",
    city="Kota Contoh",
    agency="Dinas Sosial",
    submitted_at="2026-11-25T15:23+07:00",
    timezone_label="WIB",
    expected_completion="2026-12-02",
    fee=0,
    status_url="https://layanan.kotacontoh.go.id/kiosk/status?code=K7QM-4XNA-P",
    kiosk_code="KIOSK-MPP-01",
    pin="042917",
    applicant="S*** A*****",
    requirements=["Fotokopi KTP", "Fotokopi Kartu Keluarga (KK)",
                  "Surat pengantar RT/RW yang diketahui kelurahan"],
)
GOAL = 1.5


def one_line_pdf() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pageCompression=1)
    canvas.drawString(72, 720, "e-Kiosk Kota Contoh")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--paper", type=int, default=80, choices=(58, 80))
    args = parser.parse_args()
    cases: dict[str, Callable[[], bytes]] = {
        "receipt": lambda: render_receipt(RECEIPT, args.paper),
        "one-line PDF": one_line_pdf,
        "QR-only page": lambda: render_qr_page(RECEIPT.status_url, args.paper),
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    for case in cases.values():  # warm up imports and caches
        case()
    for _ in range(args.rounds):  # interleaved, so every case sees the same machine
        for name, case in cases.items():
            started = time.perf_counter()
            case()
            times[name].append(time.perf_counter() - started)
    print(f"receipt rendering, {args.paper} mm paper, {args.rounds} rounds (ms)")
    print(f"{'case':<14} {'median':>8} {'p90':>8} {'min':>8}  bytes")
    for name, case in cases.items():
        series = sorted(times[name])
        print(f"{name:<14} {statistics.median(series) * 1000:8.2f} "
              f"{series[int(len(series) * 0.9)] * 1000:8.2f} {series[0] * 1000:8.2f}  "
              f"{len(case())}")
    ratio = statistics.median(times["receipt"]) / statistics.median(times["QR-only page"])
    verdict = "meets" if ratio <= GOAL else "MISSES"
    print(f"receipt / QR-only page at the median: {ratio:.2f} ({verdict} the goal of "
          f"<= {GOAL})")


if __name__ == "__main__":
    main()

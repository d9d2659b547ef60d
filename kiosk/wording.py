"""What citizens read of a request's or a complaint's events (services.timeline,
services.complaints.history give their codes): Indonesian here, English in the one gettext
catalogue, as the domain's error messages are (kiosk/messages.py merges these in)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

TIMELINE_MESSAGES = {
    "timeline.bill_corrected":
        _l("Tagihan diperbaiki: tagihan baru %(reference)s sebesar %(fee)s menggantikan tagihan "
           "sebelumnya."),
    "timeline.bill_expired": _l("Tagihan %(reference)s melewati jatuh tempo tanpa pembayaran."),
    "timeline.bill_paid":
        _l("Pembayaran %(fee)s untuk tagihan %(reference)s diterima (lunas). Permohonan "
           "diproses kembali; %(days)s hari kerja menunggu pembayaran tidak dihitung dalam "
           "waktu layanan."),
    "timeline.bill_reminder":
        _l("Pengingat: tagihan %(reference)s sebesar %(fee)s segera jatuh tempo."),
    "timeline.payment_flagged": _l("Pembayaran diterima dan sedang diperiksa bendahara."),
    "timeline.answer_request_approved": _l("Permohonan Anda telah dijawab."),
    "timeline.answer_request_completed": _l("Permohonan selesai."),
    "timeline.deadline_extended": _l("Batas waktu penyelesaian diperpanjang oleh %(agency)s."),
    "timeline.document_revoked": _l("Dokumen Anda dicabut oleh %(agency)s."),
    "timeline.external_request_approved":
        _l("Permohonan Anda disetujui. Produk telah terbit di %(system)s dengan nomor %(number)s"
           " tanggal %(date)s."),
    "timeline.external_request_completed":
        _l("Produk telah diserahkan kepada Anda. Permohonan selesai."),
    "timeline.fee_assessed":
        _l("%(agency)s menetapkan biaya sebesar %(fee)s (ketetapan nomor %(reference)s)."),
    "timeline.requirement_checked": _l("Berkas Anda diperiksa oleh %(agency)s."),
    "timeline.signing_returned":
        _l("Konsep keputusan dikembalikan kepada %(agency)s untuk diperbaiki."),
    "timeline.deemed_approved":
        _l("Batas waktu %(agency)s untuk langkah ini lewat tanpa keputusan, maka langkah ini "
           "dianggap disetujui (PP 28/2025)."),
    "timeline.file_complete": _l("Berkas Anda dinyatakan lengkap oleh %(agency)s."),
    "timeline.information_requested":
        _l("%(agency)s meminta keterangan tambahan dari Anda. Waktu penyelesaian dihentikan "
           "sampai Anda melengkapinya."),
    "timeline.information_supplied":
        _l("Keterangan tambahan Anda diterima. Permohonan diproses kembali."),
    "timeline.item_request_approved": _l("Permohonan Anda disetujui. Barang Anda siap diambil."),
    "timeline.item_request_completed":
        _l("Barang telah diserahkan kepada Anda. Permohonan selesai."),
    "timeline.request_approved":
        _l("Permohonan Anda disetujui. Dokumen Anda sudah terbit dan dapat diambil."),
    "timeline.request_completed": _l("Dokumen telah diserahkan kepada Anda. Permohonan selesai."),
    "timeline.request_overdue":
        _l("Permohonan melewati batas waktu layanan; pimpinan instansi diberi tahu."),
    "timeline.request_rejected": _l("Permohonan Anda ditolak oleh %(agency)s."),
    "timeline.request_rerouted":
        _l("Keterangan tambahan Anda diterima. Jawaban yang Anda ubah menentukan instansi yang "
           "menangani, jadi permohonan dialihkan ke instansi yang sesuai."),
    "timeline.submitted": _l("Permohonan diterima."),
    "timeline.task_approved":
        _l("Pemeriksaan oleh %(agency)s selesai. Permohonan dilanjutkan ke tahap berikutnya."),
    "timeline.task_claimed": _l("Permohonan Anda mulai diproses oleh %(agency)s."),
    "timeline.task_escalated": _l("Batas waktu terlewati; pimpinan %(agency)s diberi tahu."),
    "timeline.task_forwarded": _l("Permohonan Anda diteruskan ke %(agency)s."),
    "timeline.task_reassigned": _l("Permohonan Anda mulai diproses oleh %(agency)s."),
    "timeline.task_released": _l("Permohonan Anda menunggu petugas %(agency)s."),
    "timeline.updated": _l("Permohonan diperbarui."),
}

COMPLAINT_EVENT_MESSAGES = {
    "complaint_event.answer_overdue":
        _l("Batas waktu tanggapan %(agency)s terlewati; pimpinan diberi tahu."),
    "complaint_event.answered": _l("%(agency)s memberi tanggapan (tindak lanjut)."),
    "complaint_event.closed": _l("Koordinator menutup pengaduan."),
    "complaint_event.closed_unconfirmed": _l("Pengaduan ditutup tanpa konfirmasi pelapor."),
    "complaint_event.declined": _l("Pengaduan tidak dapat diproses."),
    "complaint_event.forward_overdue":
        _l("Batas waktu verifikasi terlewati; pimpinan diberi tahu."),
    "complaint_event.forwarded": _l("Pengaduan diverifikasi dan diteruskan ke %(agency)s."),
    "complaint_event.published": _l("Pengaduan ditampilkan di papan pengaduan publik."),
    "complaint_event.rated": _l("Pelapor menilai tanggapan."),
    "complaint_event.reopen_requested":
        _l("Pelapor menyatakan masalah belum selesai dan meminta pengaduan dibuka kembali."),
    "complaint_event.reopened": _l("Koordinator membuka kembali pengaduan ke %(agency)s."),
    "complaint_event.resolved": _l("Pelapor menyatakan masalah selesai."),
    "complaint_event.sent_back": _l("Koordinator meminta %(agency)s melengkapi tanggapannya."),
    "complaint_event.submitted": _l("Pengaduan diterima dan menunggu verifikasi koordinator."),
    "complaint_event.unpublished": _l("Pengaduan ditarik dari papan pengaduan publik."),
}

# The fixed texts of Open311 service definitions (services.open311).
OPEN311_MESSAGES = {
    "open311.applicant_name": _l("Nama pemohon"),
    "open311.applicant_name_format":
        _l("Nama lengkap; boleh dikirim sebagai first_name dan last_name"),
    "open311.applicant_nik": _l("NIK pemohon"),
    "open311.applicant_phone": _l("Nomor HP pemohon"),
    "open311.applicant_phone_format": _l("08... atau +628...; boleh dikirim sebagai phone"),
    "open311.date_format": _l("Tanggal, YYYY-MM-DD"),
    "open311.email_format": _l("Alamat email"),
    "open311.nik_format": _l("NIK 16 angka"),
    "open311.no": _l("Tidak"),
    "open311.phone_format": _l("Nomor HP 08... atau +628..."),
    "open311.rupiah_format": _l("Jumlah rupiah, bilangan bulat"),
    "open311.yes": _l("Ya"),
}

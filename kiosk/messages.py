"""The words of every domain message code, in one place: services/ raise a code and its
values (services.errors.Message), and the web layer says it here, once, in the visitor's
language. The Indonesian text is the msgid; English lives in
kiosk/translations/en/LC_MESSAGES/messages.po (`make translations` extracts these)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import g, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from kiosk.i18n import current_language
from kiosk.wording import COMPLAINT_EVENT_MESSAGES, OPEN311_MESSAGES, TIMELINE_MESSAGES
from services.errors import DomainError, Message, message
from services.numbers import format_indonesian_number

# The command line speaks to administrators in English.
CLI_LANGUAGE = "en"

MESSAGES = {
    "agency.code_format": _l("Kode 2-40 karakter: huruf besar, angka, '-' atau '_'."),
    "agency.code_taken": _l("Kode sudah dipakai instansi lain."),
    "agency.in_use": _l(
        "Instansi masih menangani langkah layanan aktif: %(services)s. Ubah alur layanan itu "
        "lebih dulu."
    ),
    "agency.invalid": _l("Data instansi belum benar."),
    "agency.no_such_agency": _l("Instansi tidak ditemukan."),
    "agency.not_found": _l("Instansi %(code)s tidak ditemukan."),
    "agency.unknown": _l("Instansi tidak dikenal."),
    "agency.work_week": _l("Tulis hari kerja seperti 'mon-fri', 'mon-sat' atau 'mon,tue,sat'."),
    "agency.maklumat_incomplete": _l(
        "Maklumat Pelayanan perlu teksnya, penandatangannya dan tanggalnya."),
    "answers.need_fixing": _l("Beberapa isian perlu diperbaiki."),
    "api.answers_object": _l("Harus berupa objek kunci isian ke jawaban."),
    "api.applicant_required": _l("Wajib: objek berisi nik, name dan phone."),
    "api.body_not_object": _l("Isi permintaan harus berupa objek JSON."),
    "api.code_and_pin_required": _l("tracking_code dan pin wajib berupa teks."),
    "api.complainant_object": _l("Harus berupa objek berisi teks nik, name dan phone."),
    "api.complaint_body_invalid": _l("Isi pengaduan tidak sah."),
    "api.idempotency_key_format": _l("Kosong, terlalu panjang, atau tidak dapat dicetak."),
    "api.idempotency_key_invalid": _l(
        "Idempotency-Key, bila dikirim, harus 1 sampai %(limit)s karakter yang dapat dicetak."),
    "api.information_body": _l("Kirim objek JSON {pin, answers, note}."),
    "api.language_values": _l("Harus 'id' atau 'en'."),
    "api.must_be_string": _l("Harus berupa teks."),
    "api.notify_values": _l("Harus 'whatsapp', 'sms' atau 'none'."),
    "api.photos_list": _l("Harus berupa daftar id unggahan foto."),
    "api.request_body_invalid": _l("Isi permintaan tidak sah."),
    "api.resolved_boolean": _l("resolved harus true atau false."),
    "api.service_code_required": _l("Wajib: kode layanan yang aktif."),
    "api.string_required": _l("Wajib: teks."),
    "api.true_or_false": _l("Harus true atau false."),
    "apikey.not_found": _l("Kunci API tidak ditemukan."),
    "apikey.rate_limit_format": _l("Tuliskan batas laju seperti '60 per minute'."),
    "apikey.scope_missing": _l("Kunci API ini tidak memiliki cakupan %(scope)s."),
    "apikey.scope_required": _l("Pilih paling sedikit satu cakupan."),
    "apikey.unknown": _l("Kunci API ini tidak ada, tidak dikenal, atau sudah dicabut."),
    "apikey.value_taken": _l("Nilai kunci ini sudah dipakai."),
    "berkas.broken": _l("Berkas tersimpan tidak dapat dibuka; hubungi petugas."),
    "berkas.check_reason_needed":
        _l("Tuliskan alasan berkas tidak sesuai; pemohon akan membacanya."),
    "berkas.empty": _l("Berkas kosong (0 byte). Pilih atau pindai ulang dokumennya."),
    "berkas.first_stage_only": _l("Berkas diperiksa oleh petugas tahap pertama."),
    "berkas.image_broken": _l("Gambar rusak atau terpotong. Foto atau pindai ulang dokumennya."),
    "berkas.image_too_large": _l(
        "Gambar terlalu besar (lebih dari %(max_side)s piksel per sisi). Perkecil lalu kirim lagi."),
    "berkas.no_such_upload":
        _l("Berkas unggahan tidak ditemukan atau sudah kedaluwarsa. Unggah lagi."),
    "berkas.not_asked": _l("Layanan ini tidak meminta dokumen itu."),
    "berkas.not_checked": _l("Periksa setiap persyaratan dulu: %(requirements)s."),
    "berkas.not_incomplete": _l("Semua persyaratan sesuai; catat berkas lengkap."),
    "berkas.not_returned": _l("Hanya dokumen yang diminta petugas yang dapat diganti: %(asked)s."),
    "berkas.pdf_active_content": _l(
        "PDF memuat isi aktif (JavaScript, tindakan otomatis, atau berkas sisipan) dan ditolak. "
        "Cetak ulang ke PDF biasa atau pindai dokumennya."),
    "berkas.pdf_broken": _l("PDF rusak dan tidak dapat dibuka. Simpan ulang atau pindai."),
    "berkas.pdf_encrypted": _l("PDF terkunci sandi. Kirim PDF tanpa sandi."),
    "berkas.polyglot": _l("Berkas memuat isi tersembunyi di luar dokumen dan ditolak."),
    "berkas.request_too_large": _l("Semua dokumen permohonan melebihi %(max_mb)s MB."),
    "berkas.too_large": _l("Berkas melebihi %(max_mb)s MB."),
    "berkas.too_many_files": _l("Paling banyak %(max_files)s berkas untuk persyaratan ini."),
    "berkas.too_many_pages": _l("PDF melebihi %(max_pages)s halaman."),
    "berkas.type_not_accepted": _l("Format ini tidak diterima untuk persyaratan ini."),
    "berkas.unknown_type": _l("Jenis berkas tidak dikenali. Kirim PDF, JPEG, atau PNG."),
    "berkas.verdict_unknown": _l("Pilih sesuai, tidak sesuai, atau kurang."),
    "bill.amount_positive": _l("Tuliskan jumlah tagihan baru (lebih dari 0 rupiah)."),
    "bill.correction_reason_needed": _l("Tuliskan alasan perbaikan tagihan."),
    "bill.not_correctable": _l("Tagihan ini tidak dapat diperbaiki (keadaan: %(state)s)."),
    "bill.not_found": _l("Tagihan tidak ditemukan."),
    "bill.not_yours": _l("Tagihan ini diterbitkan instansi lain."),
    "bill.treasurer_only": _l("Hanya bendahara penerimaan yang dapat melakukan ini."),
    "bill.tariff_invalid": _l("Aturan tarif langkah ini belum benar: %(problem)s"),
    "bill.tariff_not_applicable":
        _l("Tarif tidak dapat dihitung dari isian permohonan: %(problem)s"),
    "bill.unpaid": _l("Tagihan permohonan ini belum lunas; produk terbit setelah pembayaran."),
    "catalog.invalid": _l("Katalog memuat masalah: %(problems)s"),
    "complaint.agency_needed": _l("Pilih paling sedikit satu instansi."),
    "complaint.already_forwarded": _l("Pengaduan sudah diteruskan ke instansi itu."),
    "complaint.anonymous_has_no_identity": _l("Pengaduan anonim tidak memuat identitas."),
    "complaint.answer_needed": _l("Tuliskan tanggapan (paling sedikit %(limit)s karakter)."),
    "complaint.categories_invalid": _l("Kategori pengaduan belum benar: %(problems)s"),
    "complaint.coordinator_only": _l("Hanya koordinator pengaduan yang dapat melakukan ini."),
    "complaint.no_answer_to_send_back":
        _l("Instansi itu belum memberi tanggapan yang dapat dikembalikan."),
    "complaint.no_such_category": _l("Kategori pengaduan tidak ditemukan."),
    "complaint.not_for_your_agency": _l("Pengaduan ini tidak diteruskan ke instansi Anda."),
    "complaint.not_found": _l("Pengaduan tidak ditemukan."),
    "complaint.not_published": _l("Pengaduan tidak ada di papan pengaduan."),
    "complaint.not_waiting_for_answer":
        _l("Pengaduan ini tidak sedang menunggu tanggapan instansi Anda."),
    "complaint.note_needed": _l("Tuliskan catatan atau alasannya."),
    "complaint.public_text_needed":
        _l("Tuliskan teks untuk papan pengaduan (paling sedikit 20 karakter)."),
    "complaint.rating_range": _l("Beri nilai 1 sampai 5."),
    "complaint.reason_needed": _l("Tuliskan alasannya."),
    "complaint.reason_too_long": _l("Alasannya terlalu panjang."),
    "complaint.remove_personal_data":
        _l("Hapus data pribadi (NIK, nomor HP, nama) dari teks publik."),
    "complaint.say_what_is_missing": _l("Tuliskan apa yang kurang dari tanggapan itu."),
    "complaint.transition_refused":
        _l("Pengaduan berstatus %(status)s tidak dapat menerima tindakan '%(action)s'."),
    "complaint.verify_before_publishing": _l("Verifikasi pengaduan sebelum mempublikasikannya."),
    "complaint.wrong_code_or_pin": _l("Tidak ada pengaduan dengan kode dan PIN ini."),
    "decision.record_needed": _l("Isi data keputusan ini."),
    "document.already_revoked": _l("Dokumen ini sudah dicabut."),
    "document.category_needed": _l("Pilih alasan pencabutan dokumen."),
    "document.none_issued": _l("Permohonan ini belum memiliki dokumen terbit."),
    "document.reason_needed": _l("Tuliskan alasan pencabutan."),
    "document.revoke_supervisor_only":
        _l("Hanya supervisor instansi penerbit yang dapat mencabut dokumennya."),
    "field.characters": _l("Isian memuat karakter yang tidak diizinkan."),
    "field.choice": _l("Pilih salah satu pilihan yang tersedia."),
    "field.date": _l("Tanggal tidak valid (HH-BB-TTTT)."),
    "field.date_day": _l("Tanggal harus antara 1 dan 31."),
    "field.date_incomplete": _l("Isi tanggal, bulan dan tahun."),
    "field.date_month": _l("Bulan harus antara 1 dan 12."),
    "field.date_not_real": _l("Tanggal ini tidak ada di kalender. Periksa tanggal dan bulannya."),
    "field.date_year": _l("Tahun harus 4 angka, misalnya 1990."),
    "field.digits": _l("Isi %(limit)s angka."),
    "field.email": _l("Alamat email tidak valid."),
    "field.integer": _l("Isi dengan bilangan bulat."),
    "field.landline": _l(
        "Nomor telepon harus diawali 0 atau +62 dengan kode wilayah, misalnya (021) 555-1234 "
        "atau 0812-3456-7890."
    ),
    "field.max": _l("Maksimal %(limit)s."),
    "field.max_length": _l("Paling banyak %(limit)s karakter."),
    "field.min": _l("Minimal %(limit)s."),
    "field.min_length": _l("Paling sedikit %(limit)s karakter."),
    "field.name": _l("Nama harus 2-120 huruf."),
    "field.nik_birth_date": _l("NIK tidak dikenal. Periksa lagi 16 angka di KTP-el atau KK Anda."),
    "field.nik_digits": _l("NIK harus 16 angka."),
    "field.nik_district": _l("NIK tidak dikenal. Periksa lagi 16 angka di KTP-el atau KK Anda."),
    "field.nik_province": _l("NIK tidak dikenal. Periksa lagi 16 angka di KTP-el atau KK Anda."),
    "field.nik_regency": _l("NIK tidak dikenal. Periksa lagi 16 angka di KTP-el atau KK Anda."),
    "field.nik_serial": _l("NIK tidak dikenal. Periksa lagi 16 angka di KTP-el atau KK Anda."),
    "field.not_future": _l("Tanggal harus di masa lalu, tidak setelah hari ini."),
    "field.not_past": _l("Tanggal harus hari ini atau sesudahnya, tidak di masa lalu."),
    "field.number": _l("Isi dengan angka, misalnya 12.500 atau 12,5."),
    "field.number_ambiguous": _l(
        "Angka ini bisa dibaca dua cara. Tulis ribuan dengan titik (12.500) dan desimal "
        "dengan koma (12,5)."
    ),
    "field.number_commas": _l("Hanya boleh satu koma, untuk desimal (misalnya 1.234,5)."),
    "field.number_grouping":
        _l("Titik memisahkan ribuan: setiap titik diikuti tepat 3 angka, misalnya 1.250.000."),
    "field.pattern": _l("Format tidak sesuai."),
    "field.phone": _l("Nomor HP harus diawali 08 atau +628, 10-13 angka."),
    "field.required": _l("Wajib diisi."),
    "field.text": _l("Isi dengan teks."),
    "field.unknown": _l("Isian ini tidak dikenal."),
    "field.yes_no": _l("Pilih Ya atau Tidak."),
    "figures.leadership_only":
        _l("Hanya pimpinan kota, administrator dan supervisor yang dapat membaca angka kinerja."),
    "figures.targets_admin_only": _l("Hanya administrator yang dapat menetapkan target tahunan."),
    "holiday.day_taken": _l("Tanggal ini sudah tercatat sebagai hari libur."),
    "holiday.invalid": _l("Data hari libur belum benar."),
    "holiday.not_found": _l("Hari libur tidak ditemukan."),
    "ikm.agency_needed": _l("Sebutkan instansinya: tahap terakhir layanan ini tidak memilikinya."),
    "ikm.agency_required": _l("Wajib untuk layanan ini."),
    "ikm.already_answered": _l("Survei permohonan ini sudah dijawab."),
    "ikm.answer_every_question": _l("Jawab setiap pertanyaan."),
    "ikm.choose_one": _l("Pilih satu jawaban."),
    "ikm.complaint_not_answered": _l("Survei dibuka setelah pengaduan dijawab."),
    "ikm.from_after_to": _l("Tidak boleh setelah 'sampai'."),
    "ikm.link_invalid": _l("Tautan survei ini tidak sah atau sudah kedaluwarsa."),
    "ikm.month_format": _l("Tuliskan bulan sebagai TTTT-BB."),
    "ikm.month_format_short": _l("Gunakan TTTT-BB."),
    "ikm.months_reversed": _l("Bulan pertama jatuh setelah bulan terakhir."),
    "ikm.no_such_survey": _l("Survei tidak ditemukan."),
    "ikm.not_finished": _l("Survei dibuka setelah permohonan selesai."),
    "ikm.paper_invalid": _l("Berkas survei memuat masalah; tidak ada yang dihitung."),
    # A catalog or import problem, still worded in English by services.catalog.schema.
    "import.problem": _l("%(problem)s"),
    "information.not_asked":
        _l("Petugas tidak meminta jawaban ini diubah. Yang boleh diubah: %(asked)s."),
    "information.not_waiting": _l("Permohonan ini tidak sedang menunggu keterangan."),
    "information.nothing_given": _l("Isi keterangan atau perbaiki jawaban yang diminta."),
    "information.only_a_note":
        _l("Petugas tidak meminta jawaban ini diubah. Yang boleh diubah: hanya keterangan."),
    "information.only_asked": _l("Hanya jawaban yang diminta petugas yang boleh diubah."),
    "kiosk.calls_officers_only": _l("Hanya petugas pendamping kios atau administrator yang menjawab panggilan."),
    "kiosk.no_such_call": _l("Panggilan petugas tidak ditemukan."),
    "kiosk.already_in_use": _l("Sudah dipakai."),
    "kiosk.code_taken": _l("Kode kios sudah dipakai."),
    "kiosk.enrolment_code_required": _l("Kode pendaftaran wajib diisi."),
    "kiosk.enrolment_code_unknown":
        _l("Kode pendaftaran ini tidak dikenal, sudah dipakai, atau kedaluwarsa."),
    "kiosk.no_print_job": _l("Tidak ada tugas cetak %(job)s untuk kios ini."),
    "kiosk.not_found": _l("Kios %(code)s tidak ditemukan."),
    "kiosk.one_of": _l("Salah satu dari: %(values)s."),
    "kiosk.out_of_service": _l("Kios ini sedang tidak beroperasi."),
    "kiosk.paper_width_unknown": _l("Lebar kertas tidak dikenal."),
    "kiosk.paper_widths": _l("58 atau 80."),
    "kiosk.print_job_cancelled": _l("Tugas cetak ini sudah dibatalkan."),
    "kiosk.print_result_needed": _l("Sebutkan apakah tugas cetak berhasil dicetak."),
    "kiosk.printed_or_failed": _l("printed atau failed."),
    "kiosk.printer_state_unknown": _l("Status printer tidak dikenal."),
    "kiosk.token_required": _l("Token perangkat wajib dikirim."),
    "kiosk.token_unknown": _l("Token perangkat ini tidak dikenal atau sudah dicabut."),
    "kiosk.wait_range": _l("0 sampai 25."),
    "kiosk.wait_seconds": _l("wait harus berupa jumlah detik."),
    "lookup.locked": _l(
        "Terlalu banyak PIN salah dicoba untuk kode pelacakan ini. Coba lagi dalam "
        "%(minutes)s menit."
    ),
    "lookup.wrong_code_or_pin": _l("Tidak ada permohonan dengan kode pelacakan dan PIN ini."),
    "lookup.wrong_code_or_pin_short": _l("Kode pelacakan atau PIN salah."),
    "notify.choice_invalid": _l("Pilih WhatsApp, SMS atau tidak usah."),
    "notify.no_such_consent": _l("Persetujuan tidak ditemukan."),
    "outbound.response_too_large": _l("Jawaban server tujuan melebihi %(limit)s byte."),
    "outbound.unknown_host": _l("Nama host tujuan tidak dapat ditemukan."),
    "outbound.unsafe_destination": _l(
        "Alamat ini tidak dapat dituju server: alamat di dalam jaringan, alamat berupa angka "
        "yang tidak lazim, atau nama dan kata sandi di URL. Minta pengelola menambahkannya ke "
        "KIOSK_OUTBOUND_ALLOW bila memang perlu."),
    "open311.datetime": _l("Waktu W3C."),
    "open311.datetime_format": _l("%(name)s harus berupa waktu W3C seperti 2010-01-01T00:00:00Z."),
    "open311.datetime_with_zone": _l("Waktu W3C dengan zona waktu."),
    "open311.datetime_zone": _l("%(name)s memerlukan zona waktu (Z atau selisih jam)."),
    "open311.listing_needs_key": _l(
        "Daftar permohonan memerlukan api_key dengan cakupan requests:read-own; tanpa itu, "
        "sebutkan permohonannya dengan service_request_id."
    ),
    "open311.no_request_for_token": _l("Tidak ada permohonan untuk token ini."),
    "open311.no_such_request": _l("Tidak ada permohonan dengan service_request_id ini."),
    "open311.open_or_closed": _l("open atau closed."),
    "open311.service_code_required": _l("service_code wajib diisi."),
    "open311.span": _l("start_date dan end_date paling jauh berjarak 90 hari."),
    "open311.span_end": _l("Paling lambat 90 hari setelah start_date."),
    "open311.status_values": _l("status harus open, closed atau keduanya (dipisah koma)."),
    "open311.unknown_attribute": _l("Atribut tidak dikenal."),
    "open311.unknown_attributes": _l("Atribut tidak dikenal: %(names)s"),
    "outbox.consent_withdrawn":
        _l("Warga sudah berhenti menerima kabar; pesan tidak dikirim ulang."),
    "outbox.message_not_found": _l("Pesan tidak ditemukan."),
    "outbox.only_failed_resent":
        _l("Hanya pesan yang gagal atau dibatalkan yang dapat dikirim ulang."),
    "password.breached": _l(
        "Kata sandi ini ada di daftar kata sandi yang bocor atau umum dipakai. Pilih yang "
        "lain."
    ),
    "password.guessable": _l(
        "Kata sandi ini mudah ditebak (pengulangan, urutan, kata umum, atau nama Anda). "
        "Gunakan beberapa kata acak."
    ),
    "password.refused": _l("Kata sandi ditolak."),
    "password.required": _l("Kata sandi wajib diisi."),
    "password.too_short": _l("Paling sedikit %(limit)s karakter."),
    "queue.no_such_clerk": _l("Petugas itu tidak ada di instansi Anda."),
    "queue.no_such_request": _l("Permohonan ini tidak ada di antrean instansi Anda."),
    "queue.no_such_task": _l("Tugas ini tidak ada di antrean instansi Anda."),
    "queue.reassign_open_only":
        _l("Hanya tugas yang siap atau sedang diambil yang dapat dialihkan."),
    "queue.release_claimed_only": _l("Hanya tugas yang sedang diambil yang dapat dilepas."),
    "queue.release_holder_only":
        _l("Hanya petugas pemegang tugas atau supervisor yang dapat melepasnya."),
    "queue.request_not_active": _l("Permohonan ini sedang tidak diproses."),
    "queue.staff_only": _l("Hanya petugas dan supervisor instansi yang mengerjakan antreannya."),
    "queue.supervisor_only": _l("Hanya supervisor yang dapat melakukan ini."),
    "payment.already_decided": _l("Pembayaran ini sudah diputuskan."),
    "payment.decision_note_needed": _l("Tuliskan catatan keputusan."),
    "payment.not_found": _l("Pembayaran tidak ditemukan atau tidak perlu diputuskan."),
    "payment.reference_reused":
        _l("Referensi bank ini sudah tercatat untuk pembayaran lain."),
    "queue.task_not_waiting": _l("Tugas ini sudah tidak menunggu untuk diambil."),
    "request.action_refused":
        _l("Permohonan berstatus %(status)s tidak dapat menerima tindakan '%(action)s'."),
    "request.transition_refused":
        _l("Permohonan tidak dapat berpindah dari %(status)s ke %(target)s."),
    "routing.no_agency_for_answer": _l("Tidak ada instansi yang menangani jawaban ini."),
    "service.needs_decree": _l(
        "Versi baru %(code)s belum dapat diterbitkan: catat dulu nomor dan tanggal SK "
        "penetapan serta paling sedikit satu konsultasi publik (UU 25/2009 Pasal 20)."),
    "service.code_taken": _l("Kode layanan sudah dipakai."),
    "service.no_draft": _l("Layanan %(code)s tidak memiliki draf untuk diterbitkan."),
    "service.no_field": _l("Isian %(key)s tidak ditemukan."),
    "service.no_step": _l("Tahap alur %(number)s tidak ditemukan."),
    "service.no_such_service": _l("Layanan tidak ditemukan."),
    "service.no_such_version": _l("Versi %(number)s dari %(code)s tidak ditemukan."),
    "service.no_version": _l("Layanan %(code)s belum memiliki versi."),
    "service.no_version_to_copy": _l("Layanan %(code)s belum memiliki versi untuk disalin."),
    "service.not_active": _l("Tidak ada layanan aktif %(code)s."),
    "service.not_found": _l("Layanan %(code)s tidak ditemukan."),
    "sign.locked": _l(
        "Penandatanganan Anda dikunci sementara karena passphrase ditolak berulang kali. Coba "
        "lagi paling lambat 30 menit lagi."),
    "sign.no_draft": _l("Konsep keputusan tidak ditemukan."),
    "sign.no_such_decision": _l("Keputusan tidak ditemukan."),
    "sign.not_a_signing_step": _l("Tugas ini bukan tahap penandatanganan."),
    "sign.not_waiting": _l("Keputusan ini tidak sedang menunggu tanda tangan."),
    "sign.nothing_chosen": _l("Pilih paling sedikit satu keputusan."),
    "sign.official_only": _l(
        "Hanya pejabat penandatangan instansi ini yang dapat menandatangani keputusan."),
    "sign.other_agency": _l("Keputusan ini ditandatangani pejabat instansi lain."),
    "sign.passphrase_needed": _l("Masukkan passphrase sertifikat elektronik Anda."),
    "sign.passphrase_refused": _l(
        "Passphrase ditolak layanan tanda tangan elektronik. Tidak ada dokumen yang "
        "ditandatangani."),
    "sign.return_note_needed": _l("Tuliskan catatan perbaikan untuk petugas."),
    "sign.service_unavailable": _l(
        "Layanan tanda tangan elektronik tidak dapat dihubungi. Tidak ada dokumen yang "
        "ditandatangani; coba lagi."),
    "sla.days_range": _l("Perpanjang 1 sampai 60 hari kerja."),
    "sla.open_task_only": _l("Hanya batas waktu tugas yang masih terbuka yang dapat diperpanjang."),
    "sla.reason_needed": _l("Tuliskan alasan perpanjangan."),
    "statement.bad_lines": _l("Baris rekening koran tidak terbaca: %(lines)s. Tidak ada yang "
                              "dicatat."),
    "statement.header": _l("Baris pertama rekening koran harus: tanggal, referensi, tujuan, "
                           "jumlah."),
    "statement.too_long": _l("Rekening koran terlalu panjang untuk satu kali unggah."),
    "targets.between_0_100": _l("Antara 0 dan 100."),
    "targets.between_2000_2100": _l("Antara 2000 dan 2100."),
    "targets.between_25_100": _l("Antara 25 dan 100."),
    "targets.out_of_range": _l("Beberapa target di luar batas."),
    "targets.unknown_year": _l("Tahun tidak dikenal."),
    "task.external_date_needed":
        _l("Tuliskan tanggal terbit produk di sistem penerbit (tidak boleh setelah hari ini)."),
    "task.external_number_needed": _l("Tuliskan nomor produk dari sistem penerbit."),
    "task.fee_needed": _l("Tuliskan besar biaya yang ditetapkan dalam rupiah (0 atau lebih)."),
    "task.fee_reference_needed": _l("Tuliskan nomor surat ketetapan (SKRD/SKPD)."),
    "task.forward_not_allowed": _l("Tahap ini tidak dapat diteruskan ke instansi itu."),
    "task.held_by_other": _l("Tugas ini sedang dipegang petugas lain."),
    "task.information_needed": _l("Tuliskan keterangan yang harus dilengkapi warga."),
    "task.not_a_task_action": _l("'%(action)s' bukan tindakan atas tugas."),
    "task.not_open": _l("Tugas ini berstatus %(status)s."),
    "task.transition_refused": _l("Tugas berstatus %(status)s tidak dapat menjadi %(target)s."),
    "task.rejection_reason_needed": _l("Tuliskan alasan penolakan."),
    "task.request_not_active":
        _l("Permohonan berstatus %(status)s; tugasnya tidak dapat dikerjakan sekarang."),
    "tracking.already_filed":
        _l("Ini sudah diajukan; PIN-nya ada pada tanda terima pertama."),
    "tracking.idempotency_key_reused":
        _l("Kunci idempotensi ini sudah dipakai untuk isian yang lain."),
    "user.admin_without_agency": _l("Administrator tidak terikat pada instansi."),
    "user.agency_required": _l("Petugas dan supervisor wajib punya instansi."),
    "user.cannot_deactivate_self": _l("Anda tidak dapat menonaktifkan akun Anda sendiri."),
    "user.cannot_demote_self": _l("Anda tidak dapat mencabut peran administrator Anda sendiri."),
    "user.credential_required": _l("Tuliskan ID kredensial sertifikat pejabat."),
    "user.invalid": _l("Data pengguna belum benar."),
    "user.jabatan_required": _l("Tuliskan jabatan pejabat penandatangan."),
    "user.leadership_without_agency": _l("Pimpinan kota tidak terikat pada instansi."),
    "user.nip_invalid": _l("NIP terdiri atas 18 angka."),
    "user.not_found": _l("Pengguna tidak ditemukan."),
    "username.invalid": _l("Nama pengguna tidak sah."),
    "username.invisible_characters":
        _l("Nama pengguna tidak boleh memuat spasi atau karakter tak terlihat."),
    "username.required": _l("Nama pengguna wajib diisi."),
    "username.taken": _l("Nama pengguna sudah dipakai."),
    "verify.no_file": _l("Pilih berkas PDF yang akan diperiksa."),
    "verify.not_pdf": _l("Berkas ini bukan PDF; tidak dapat diperiksa."),
    "verify.too_large": _l("Berkas terlalu besar untuk diperiksa."),
    "verify.unreadable": _l("Berkas PDF ini rusak atau tidak dapat dibaca dengan aman; tidak dapat "
                            "diperiksa."),
    "webhook.event_kinds": _l("Pilih paling sedikit satu jenis kejadian."),
    "booking.already_checked_in": _l("Janji temu ini sudah dipakai untuk mengambil nomor antrean."),
    "booking.cancelled": _l("Janji temu ini sudah dibatalkan."),
    "booking.day_out_of_range": _l("Pilih hari kerja mulai besok, paling lambat %(days)s hari lagi."),
    "booking.no_such_request": _l("Kode pelacakan permohonan tidak ditemukan."),
    "booking.no_such_slot": _l("Jam itu tidak tersedia. Pilih jam lain."),
    "booking.not_found": _l("Kode booking tidak ditemukan."),
    "booking.not_working_day": _l("Loket tutup pada hari itu (akhir pekan atau hari libur)."),
    "booking.slot_full": _l("Jam itu sudah penuh. Pilih jam lain."),
    "booking.slot_over": _l("Waktu janji temu ini sudah lewat. Silakan ambil nomor antrean biasa."),
    "booking.too_early": _l("Terlalu awal: check-in dibuka 30 menit sebelum pukul %(time)s."),
    "booking.too_many_open": _l("Anda sudah punya %(limit)s janji temu aktif. Batalkan salah satu dulu."),
    "counter.busy": _l("Loket ini masih melayani %(ticket)s. Selesaikan dulu."),
    "counter.hours_format": _l("Tulis jam buka seperti 08:00-15:00 (buka sebelum tutup)."),
    "counter.no_such_counter": _l("Loket tidak ditemukan."),
    "counter.officers_only": _l("Hanya petugas loket atau administrator yang memanggil antrean."),
    "ticket.already_linked": _l("Nomor antrean ini sudah terhubung dengan permohonan lain."),
    "ticket.counters_closed": _l("Loket sudah tutup. Loket buka pukul %(opens)s sampai %(closes)s pada hari kerja."),
    "ticket.invalid_move": _l("Nomor antrean ini tidak dapat diubah seperti itu sekarang."),
    "ticket.no_show_too_soon": _l("Panggil paling sedikit %(calls)s kali sebelum menandai tidak hadir."),
    "ticket.no_such_group": _l("Kelompok loket tidak ditemukan."),
    "ticket.not_at_this_counter": _l("Nomor antrean itu tidak sedang di loket ini."),
    "ticket.not_found": _l("Nomor antrean tidak ditemukan."),
    "ticket.quota_reached": _l("Kuota antrean hari ini (%(quota)s nomor) sudah habis. Silakan datang besok atau buat janji temu."),
    "ticket.request_has_open_ticket": _l("Permohonan ini sudah punya nomor antrean yang aktif."),
    "ticket.transfer_same_group": _l("Pilih kelompok loket yang lain."),
    "webhook.invalid": _l("Data penerima webhook belum benar."),
    "webhook.name": _l("Isi nama penerima (2 sampai 120 huruf)."),
    "webhook.not_found": _l("Penerima webhook tidak ditemukan."),
    "webhook.url": _l("Alamat harus URL http(s) lengkap, misalnya https://contoh.go.id/hook."),
    # What citizens read of events: the timelines of requests and complaints.
    **TIMELINE_MESSAGES,
    **COMPLAINT_EVENT_MESSAGES,
    **OPEN311_MESSAGES,
}


# WTForms' own validator messages, which it says in English and ships no Indonesian for:
# each in the page's language through the one catalogue (kiosk.i18n.FormTranslations).
FORM_LIBRARY_MESSAGES = {
    "This field is required.": _l("Wajib diisi."),
    "Not a valid choice.": _l("Pilihan tidak dikenal."),
    "Invalid input.": _l("Isian tidak sah."),
    "Invalid email address.": _l("Alamat email tidak sah."),
    "Invalid URL.": _l("URL tidak sah."),
    "Field must be equal to %(other_name)s.": _l("Harus sama dengan %(other_name)s."),
    "Field must be at least %(min)d character long.": _l("Paling sedikit %(min)d karakter."),
    "Field must be at least %(min)d characters long.": _l("Paling sedikit %(min)d karakter."),
    "Field cannot be longer than %(max)d character.": _l("Paling banyak %(max)d karakter."),
    "Field cannot be longer than %(max)d characters.": _l("Paling banyak %(max)d karakter."),
    "Field must be exactly %(max)d character long.": _l("Harus tepat %(max)d karakter."),
    "Field must be exactly %(max)d characters long.": _l("Harus tepat %(max)d karakter."),
    "Field must be between %(min)d and %(max)d characters long.":
        _l("Harus %(min)d sampai %(max)d karakter."),
    "Number must be at least %(min)s.": _l("Angka paling kecil %(min)s."),
    "Number must be at most %(max)s.": _l("Angka paling besar %(max)s."),
    "Number must be between %(min)s and %(max)s.": _l("Angka harus antara %(min)s dan %(max)s."),
    "Date must be at least %(min)s.": _l("Tanggal paling awal %(min)s."),
    "Date must be at most %(max)s.": _l("Tanggal paling akhir %(max)s."),
    "Date must be between %(min)s and %(max)s.": _l("Tanggal harus antara %(min)s dan %(max)s."),
    "Invalid value, must be one of: %(values)s.":
        _l("Nilai tidak sah, harus salah satu dari: %(values)s."),
    "Invalid value, can't be any of: %(values)s.": _l("Nilai tidak sah, tidak boleh: %(values)s."),
    "Invalid Choice: could not coerce.": _l("Pilihan tidak sah."),
    "Invalid choice(s): one or more data inputs could not be coerced.":
        _l("Ada pilihan yang tidak sah."),
    "Not a valid datetime value.": _l("Waktu tidak sah."),
    "Not a valid date value.": _l("Tanggal tidak sah."),
    "Not a valid time value.": _l("Jam tidak sah."),
    "Not a valid integer value.": _l("Harus bilangan bulat."),
    "Not a valid decimal value.": _l("Harus angka."),
    "Not a valid float value.": _l("Harus angka."),
    **dict.fromkeys(("The CSRF token is missing.", "The CSRF token is invalid.",
                     "The CSRF token has expired."),
                    _l("Formulir kedaluwarsa. Muat ulang halaman lalu coba lagi.")),
}


def say(said: Message | str, language: str | None = None) -> str:
    """A message's words in the visitor's language (or ``language``), its values filled in:
    numbers the Indonesian way on Indonesian pages ("Maksimal 1.000", "Minimal 0,5")."""
    said = message(said)
    if language is not None:
        with force_locale(language):
            return say(said)
    text = str(MESSAGES[said.code])
    if not said.params:
        return text
    return text % {name: _shown(value) for name, value in said.params.items()}


def _shown(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool) \
            and current_language() != "en":
        return format_indonesian_number(value)
    return value


def field_messages(fields: Mapping[str, Message], language: str | None = None) -> dict[str, str]:
    """Each input's message in words, for a form or the API's ``fields``."""
    return {name: say(said, language) for name, said in fields.items()}


def error_text(error: DomainError, language: str | None = None) -> str:
    """A domain error's own message, worded (a refused upload's, say)."""
    return say(error.message, language)


def error_messages(error: DomainError) -> list[str]:
    """What to flash for a failed action: each field's message once, else the error's own."""
    if not error.fields:
        return [say(error.message)]
    return list(dict.fromkeys(field_messages(error.fields).values()))


def answer_in(language: str) -> None:
    """Word this request's errors in ``language`` (an API body that names its language)."""
    g.message_language = language


def api_language() -> str:
    """The language of the API's error messages: the body's ``language`` where it names one,
    else ?lang= or Accept-Language when the caller sends them, else English."""
    if said := g.get("message_language"):
        return str(said)
    if request.args.get("lang") or request.headers.get("Accept-Language"):
        return current_language()
    return "en"

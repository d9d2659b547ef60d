"""The nine elements (unsur) of the public satisfaction survey and their four answers, as
Peraturan Menteri PANRB Nomor 14 Tahun 2017 (Pedoman Penyusunan Survei Kepuasan Masyarakat
Unit Penyelenggara Pelayanan Publik) words them, with an English rendering.

The regulation lists the unsur in Bab II (a. persyaratan ... h. penanganan pengaduan, saran
dan masukan; i. sarana dan prasarana); its example questionnaire (Lampiran, "Contoh
Kuesioner") asks them as questions 1-9 with answers a-d scored 1-4, but asks about "sarana dan
prasarana" as question 8 and "penanganan pengaduan" as question 9. ``u1``..``u9`` here are the
questionnaire's question numbers, so a paper form's columns type straight into a CSV file.
Here are the keys and the scores, for the index, the survey and the reports; the regulation's
words (and their English rendering) are the web layer's, in kiosk/ikm/questionnaire.py,
through the one gettext catalogue."""

from __future__ import annotations

ANSWER_VALUES: tuple[int, ...] = (1, 2, 3, 4)
ELEMENT_KEYS: tuple[str, ...] = tuple(f"u{number}" for number in range(1, 10))

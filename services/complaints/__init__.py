"""Complaints (pengaduan) run the way SP4N-LAPOR! runs them: filing through every channel,
the coordinator's verification and forwarding, agencies' answers, the citizen's rating,
reopen requests, the public board and the overdue sweep."""

"""Berkas digital: the documents a citizen hands in, checked as hostile, stored encrypted by
their content in a folder or an S3-compatible bucket, linked to their request or complaint,
checked by the clerk requirement by requirement, and removed when their time is up."""

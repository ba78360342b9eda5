"""Acknowledgement: every form that creates something does so once per submission (idempotency keys, with
POST/redirect/GET), and the public receipt's tracking secret is verified by a salted slow hash (docs/cases.md,
"Acknowledgement")."""

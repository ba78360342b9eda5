"""The report checker: reads a published OGI annual report (txt/html/docx/pdf, 简/繁), extracts its tables and
the figures its text states, and finds its defects against the consistency rules (statutory-reference §3.4)."""

"""Ingest: getting a job search in and out of the journal.

`backup` exports everything (JSON, lossless; or CSV, one file per table) and restores a JSON
backup; `spreadsheet` imports applications from a tracker's CSV or Excel file; `mail` reads
e-mail exports and turns job mail into applications, status changes and feedback. Every import
runs in one transaction and can be shown first with a dry run.
"""

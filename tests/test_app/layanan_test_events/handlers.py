"""Handlers named in hooks.doc_events (called as fn(doc, event))."""


def shout_title(doc, event):
    if doc.get("judul"):
        doc.judul = doc.judul.upper()


def count_update(doc, event):
    doc.flags.app_updates = (doc.flags.app_updates or 0) + 1

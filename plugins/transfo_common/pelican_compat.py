"""Every use of Pelican's private API, in one place.

Pelican's documented surface (signals, generators, readers, writers, settings) is what the
plugins build on. Where a plugin still needs something Pelican does not document, the access
lives here, behind a function whose name says what it does, and `tests/test_pelican_compat.py`
holds one contract test per access: a Pelican upgrade that changes one of them fails that test,
not the site. No other module may touch a private Pelican attribute (a source scan checks it).
"""

# --- Content objects, readers and generators (content plugins) ---------------------------
# Nothing: dossiers, offers, agenda, validation and images use Pelican's public surface only
# (url/save_as metadata through read_file's context signal, `transfo_common.contents`, whose
# test holds it against the installed Pelican; content_object_init; the MARKDOWN setting).


# --- Build run, writer and rendering (transfo_perf) ---------------------------------------

"""Contract tests of `transfo_common.pelican_compat`: one per private Pelican access.

Each test exercises the access against the installed Pelican, so an upgrade that renames or
changes what we rely on fails here, with the access's name, before it breaks a build.
"""

# --- Content objects, readers and generators (content plugins) ---------------------------


# --- Build run, writer and rendering (transfo_perf) ---------------------------------------

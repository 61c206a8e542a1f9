"""Signals of our own around Pelican's build, declared in one place as Pelican declares its own.

They are blinker signals, like Pelican's: a plugin connects to them in `register()`.
"""

from blinker import signal

# Sent with the Pelican instance whose run a plugin stopped on purpose after the context phase
# (the newsletter reads the site that way): Pelican's `finalized` never comes for it, so what a
# plugin set up for the whole build must be undone here.
build_abandoned = signal("transfo.build_abandoned")

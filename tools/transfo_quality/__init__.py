"""The site-wide quality gate and safe publishing.

A library used by `invoke publish`, `invoke quality` and the tests: link
checker, HTML validation (vnu), feeds and JSON-LD parsed back, axe-core on one
page per template, page weights, pre-compression and atomic releases. It has
no Pelican signal: the gate runs on the finished output folder.
"""

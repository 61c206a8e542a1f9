"""Benchmark of the Transfo build against vanilla Pelican (`invoke bench`).

A library, not a Pelican plugin: `corpus` writes a deterministic synthetic
content tree, `runner` times builds in separate processes, `stats` and
`report` turn the runs into medians and ratios, `bench` ties them together.
"""

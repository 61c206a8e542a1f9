"""Helpers shared by the Transfo plugins (not a plugin itself: nothing to register)."""

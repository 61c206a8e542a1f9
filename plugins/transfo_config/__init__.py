"""One configuration: every TRANSFO_* setting checked before the build, one resolved build date."""

from .plugin import register

__all__ = ["register"]

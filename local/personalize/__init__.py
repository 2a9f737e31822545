"""Offline emulator of Amazon Personalize (control plane, events and runtime APIs)."""

from .server import RunningEmulator, start_emulator
from .settings import Settings

__all__ = ["RunningEmulator", "Settings", "start_emulator"]

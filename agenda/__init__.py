"""som: meeting scheduling and agenda preparation for a UN meeting secretariat."""

__version__ = "0.1.0"

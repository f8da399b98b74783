"""Relances clients: customer payment reminders for accountants who work in Excel."""

__version__ = "0.1.0"

"""Userflow.js SDK, written in Python and transpiled by Transcrypt (see ARCHITECTURE.md)."""

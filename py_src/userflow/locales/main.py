"""Binding: publishes the UI's translations (pure/translations.py) for the flow engine."""

from userflow.pure.translations import TRANSLATIONS

window['userflow-locales'] = TRANSLATIONS  # how the flow engine, which loaded this chunk, finds them

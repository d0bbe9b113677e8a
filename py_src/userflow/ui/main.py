"""Binding: publishes the UI class (view.py) for the flow engine, which the core hands it."""

from userflow.ui.view import Ui

window['userflow-ui'] = Ui  # how the core, which loaded this chunk with the flows chunk, finds it

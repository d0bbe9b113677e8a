"""The `ui` chunk (entry: main.py): what the end user sees, loaded beside the `flows` chunk when a
page has content."""

"""The `flows` chunk (entry: main.py): the flow engine on the live page and its UI. Loaded when
content arrives."""

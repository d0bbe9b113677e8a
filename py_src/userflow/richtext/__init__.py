"""The `richtext` chunk (entry: main.py): the markup parser and its drawing, loaded by the flows
chunk only when the content has a body with markup."""

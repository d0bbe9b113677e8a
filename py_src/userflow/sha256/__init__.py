"""The `sha256` chunk (entry: main.py): the pure HMAC-SHA256, for pages that are not a secure
context."""

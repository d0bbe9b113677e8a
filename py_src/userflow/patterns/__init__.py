"""The `patterns` chunk (entry: main.py): the checker of `matches` patterns, loaded with the flow
engine only for content that has them."""

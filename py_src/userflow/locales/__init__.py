"""The `locales` chunk (entry: main.py): the UI's own words in languages other than English,
loaded only when a page shows one of them."""

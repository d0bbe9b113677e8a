"""The `surfaces` chunk (entry: main.py): launchers, banners and the resource center, loaded by
the flows chunk only when the content has one of them."""

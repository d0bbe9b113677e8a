"""The `extras` chunk (entry: main.py): a step's spotlight and a flow's progress, loaded by the
flows chunk only when the content has one of them."""

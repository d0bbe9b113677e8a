"""The core's bindings (entry: main.py): the SDK realm, the public API, identity and delivery."""

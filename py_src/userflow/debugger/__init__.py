"""The `debugger` chunk (entry: main.py): the local debugging panel, loaded by
`userflow.debugger()` only."""

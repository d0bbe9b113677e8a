"""Where the dev collector keeps accepted events: SQLite (a file, or memory), one row per event
id, so a batch that arrives twice counts once (SPEC §7: ids let the server deduplicate).

Identify and group events also update a stored profile per (token, user or group): their
attributes are applied in order, values set, operations applied as in Userflow.js
(`apply_attributes`)."""

import json
import sqlite3
import threading


class EventStore:
    def __init__(self, path: str = ':memory:'):
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.execute(
            'CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, token TEXT NOT NULL, '
            'event TEXT NOT NULL)'
        )
        self.db.execute(
            'CREATE TABLE IF NOT EXISTS profiles (token TEXT NOT NULL, kind TEXT NOT NULL, '
            'id TEXT NOT NULL, attributes TEXT NOT NULL, PRIMARY KEY (token, kind, id))'
        )
        self.lock = threading.Lock()

    def add(self, token: str, batch: list) -> int:
        """Store the events of an accepted body; returns how many were new. A new identify or
        group event updates its profile (a duplicate changes nothing)."""
        new = 0
        with self.lock:
            self.db.execute('BEGIN')
            for event in batch:
                before = self.db.total_changes
                self.db.execute(
                    'INSERT OR IGNORE INTO events (id, token, event) VALUES (?, ?, ?)',
                    (event['id'], token, json.dumps(event)),
                )
                if self.db.total_changes > before:
                    new += 1
                    self._update_profile(token, event)
            self.db.execute('COMMIT')
        return new

    def _update_profile(self, token: str, event: dict) -> None:
        if event['type'] == 'identify':
            kind, key = 'user', event['user']
        elif event['type'] == 'group':
            kind, key = 'group', event['group']
        else:
            return
        stored = self.db.execute(
            'SELECT attributes FROM profiles WHERE token = ? AND kind = ? AND id = ?', (token, kind, key)
        ).fetchone()
        profile = apply_attributes(json.loads(stored[0]) if stored else {}, event.get('attributes') or {})
        self.db.execute(
            'INSERT OR REPLACE INTO profiles (token, kind, id, attributes) VALUES (?, ?, ?, ?)',
            (token, kind, key, json.dumps(profile)),
        )

    def profile(self, token: str, kind: str, key: str) -> dict | None:
        """The stored attributes of a user (`kind` 'user', the ID as sent) or a group."""
        with self.lock:
            row = self.db.execute(
                'SELECT attributes FROM profiles WHERE token = ? AND kind = ? AND id = ?', (token, kind, key)
            ).fetchone()
        return json.loads(row[0]) if row else None

    def events(self, token: str | None = None) -> list:
        """Every stored event, in arrival order (optionally of one token)."""
        with self.lock:
            rows = self.db.execute(
                'SELECT event FROM events WHERE ?1 IS NULL OR token = ?1 ORDER BY rowid', (token,)
            ).fetchall()
        return [json.loads(row[0]) for row in rows]

    def clear(self) -> None:
        with self.lock:
            self.db.execute('DELETE FROM events')
            self.db.execute('DELETE FROM profiles')


def _comparable(value):
    # 1 == True in Python, never in JSON: booleans compare apart from numbers.
    return (isinstance(value, bool), value)


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def apply_attributes(profile: dict, attributes: dict) -> dict:
    """`profile` updated by one call's attributes (a new dict). A value or `{set}` replaces;
    `set_once` sets only a missing key; `add`/`subtract` count from 0 when the key is missing or
    not a number; `append`/`prepend` add the value (or each value of a list) to the end/start
    of the list (a missing key is an empty list, a scalar a list of one); `remove` takes every
    occurrence of the value(s) out of the list; `unset` deletes the key."""
    out = dict(profile)
    for key, change in attributes.items():
        if not isinstance(change, dict):
            out[key] = change
            continue
        [(op, value)] = change.items()
        current = out.get(key)
        number = current if isinstance(current, (int, float)) and not isinstance(current, bool) else 0
        if op == 'set':
            out[key] = value
        elif op == 'set_once':
            out.setdefault(key, value)
        elif op == 'add':
            out[key] = number + value
        elif op == 'subtract':
            out[key] = number - value
        elif op in ('append', 'prepend', 'remove'):
            items = [] if current is None else _as_list(current)
            if op == 'append':
                out[key] = items + _as_list(value)
            elif op == 'prepend':
                out[key] = _as_list(value) + items
            else:
                gone = [_comparable(x) for x in _as_list(value)]
                out[key] = [x for x in items if _comparable(x) not in gone]
        elif op == 'unset':
            out.pop(key, None)
    return out

"""Where the dev collector keeps accepted events: SQLite (a file, or memory), one row per event
id, so a batch that arrives twice counts once (SPEC §7: ids let the server deduplicate)."""

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
        self.lock = threading.Lock()

    def add(self, token: str, batch: list) -> int:
        """Store the events of an accepted body; returns how many were new."""
        with self.lock:
            before = self.db.total_changes
            self.db.executemany(
                'INSERT OR IGNORE INTO events (id, token, event) VALUES (?, ?, ?)',
                [(e['id'], token, json.dumps(e)) for e in batch],
            )
            return self.db.total_changes - before

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

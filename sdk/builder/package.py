"""Stage 4: the npm-style package, and its deterministic .tgz (npm pack layout: package/...).

Determinism: entries sorted, mtime 0, uid/gid 0, no user or group names, fixed modes, and a
gzip header without a file name or time.
"""

import gzip
import io
import tarfile
from pathlib import Path


def write_tgz(src: Path, dest: Path) -> None:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode='w', format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(p for p in src.rglob('*') if p.is_file()):
            info = tarfile.TarInfo('package/' + path.relative_to(src).as_posix())
            data = path.read_bytes()
            info.size = len(data)
            info.mtime = 0
            info.mode = 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ''
            tar.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(filename='', mode='wb', fileobj=out, mtime=0, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    dest.write_bytes(out.getvalue())

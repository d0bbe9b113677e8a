import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The pure SDK modules are plain Python: CPython imports them straight from py_src.
sys.path.insert(0, str(ROOT / 'py_src'))

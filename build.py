"""Build dist/ (SPEC §3). Thin entry: parse flags, call sdk.builder."""

import argparse
import sys
from pathlib import Path

from sdk.cli import build_command

if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--out', type=Path, default=None, help='output folder (default dist/)')
    sys.exit(build_command(parser.parse_args().out))

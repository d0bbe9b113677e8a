"""Toolchain errors. The CLI prints `str(error)` and exits with `error.exit_code`.

SdkError                 anything the toolchain reports to its user (exit 2)
├── ToolMissing          an external tool (esbuild, transcrypt) is not installed
├── TranspileError       Transcrypt rejected a Python source: names the file and line
├── BundleError          esbuild rejected the JavaScript: names the JS file, line and column
├── RenderError          a Jinja2 template failed or rendered invalid JavaScript
└── AuditError           the privacy audit could not run (no SDK on the page, a bad scenario
                         or manifest, the browser failed): it proves nothing
"""


class SdkError(Exception):
    exit_code = 2


class ToolMissing(SdkError):
    pass


class TranspileError(SdkError):
    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        where = f'{path}:{line}: ' if path else ''
        super().__init__(f'transpile failed: {where}{message}')
        self.path = path
        self.line = line


class BundleError(SdkError):
    pass


class RenderError(SdkError):
    pass


class AuditError(SdkError):
    """The audit itself could not run (exit code 2, never 1, which means "leak found")."""

"""The build pipeline: Python sources -> Transcrypt -> esbuild -> Jinja2 -> dist/."""

from sdk.builder.pipeline import build, BuildResult

__all__ = ['build', 'BuildResult']

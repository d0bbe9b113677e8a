"""Stage 3: Jinja2 templates -> the loader, the snippet and the npm package files."""

import esbuild_py
import jinja2

from sdk import TEMPLATES
from sdk.errors import RenderError

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES)),
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    autoescape=jinja2.select_autoescape(['html']),
)


def render(template: str, **values) -> str:
    try:
        return _env.get_template(template).render(**values)
    except jinja2.TemplateError as error:
        where = f'{template}:{getattr(error, "lineno", "?")}'
        raise RenderError(f'template {where}: {error}') from None


def render_js(template: str, **values) -> str:
    """Render a JavaScript template and check its syntax in-process (esbuild-py) before the
    esbuild binary minifies it, so a template mistake names the template, not a temp file."""
    source = render(template, **values)
    if source.strip() and not esbuild_py.transform(source).strip():
        raise RenderError(f'template {template} rendered invalid JavaScript (values: {sorted(values)})')
    return source

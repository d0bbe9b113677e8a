"""report.html: the audit for a person (Jinja2, autoescaped: the report itself shows canaries and
URLs from the page, so nothing in it is trusted as markup)."""

from jinja2 import Environment, FileSystemLoader, select_autoescape

from sdk import TEMPLATES


def render_html(data: dict) -> str:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(['j2', 'html']),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template('audit_report.html.j2').render(report=data)

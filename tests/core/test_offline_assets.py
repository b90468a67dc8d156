"""The product works with no internet: no shipped file points at another host.

Every file inside the package (templates, CSS, JS, SVG, Python, TOML, data...) is scanned for
absolute URLs, protocol-relative references and remote imports. The exceptions: an XML namespace
URI in an SVG's ``xmlns`` attribute, which names a vocabulary and is never fetched; and, in Python
only, this site's own address built from its configuration (``f"https://{hostname}"``), a
loopback address, and examples in comments and docstrings, none of which is ever fetched.
Templates are also held to the Content-Security-Policy: no inline script, style or handlers.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

import intranet_social

PACKAGE_DIR = Path(intranet_social.__file__).resolve().parent
STATIC_DIR = PACKAGE_DIR / "static"
SKIPPED_DIRS = frozenset({"__pycache__"})
SKIPPED_SUFFIXES = frozenset({".pyc", ".pyo"})

OUTSIDE_REFERENCES = [
    ("absolute URL", re.compile(r"\b(?:https?|wss?|ftp)://", re.IGNORECASE)),
    (
        "protocol-relative URL in an attribute",
        re.compile(
            r"\b(?:src|href|action|formaction|poster|srcset|data|content|manifest)"
            r"\s*=\s*[\"']?\s*//",
            re.IGNORECASE,
        ),
    ),
    ("remote url() in CSS", re.compile(r"url\(\s*[\"']?\s*(?:[a-z][\w+.-]*:)?//", re.IGNORECASE)),
    (
        "remote @import",
        re.compile(r"@import\s+(?:url\(\s*)?[\"']?\s*(?:[a-z][\w+.-]*:)?//", re.IGNORECASE),
    ),
    ("protocol-relative URL in a string", re.compile(r"[\"'`]//[\w-]+(?:\.[\w-]+)+")),
]
#: XML namespaces are names, not addresses: browsers never fetch them.
SVG_NAMESPACE = re.compile(
    r"\bxmlns(?::\w+)?=\"http://www\.w3\.org/(?:2000/svg|1999/xlink)\"", re.IGNORECASE
)
#: Python may name this site itself (a configured host name) or the loopback interface.
OWN_ADDRESS = re.compile(
    r"\b(?:https?|wss?)://(?:\{[^}]*\}|localhost\b|127\.\d+\.\d+\.\d+|\[::1\])", re.IGNORECASE
)
JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
JINJA_CODE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.DOTALL)
TAG = re.compile(r"<[a-zA-Z][^>]*>", re.DOTALL)
STATIC_REFERENCE = re.compile(r"url_for\(\s*'static',\s*filename=['\"]([^'\"]+)['\"]")


def shipped_files() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE_DIR.rglob("*")
        if path.is_file()
        and path.suffix not in SKIPPED_SUFFIXES
        and not SKIPPED_DIRS.intersection(path.relative_to(PACKAGE_DIR).parts)
    )


def templates() -> list[Path]:
    return [path for path in shipped_files() if "templates" in path.parts]


def python_code_only(source: str) -> str:
    """``source`` with its comments and docstrings blanked out, line numbers kept."""
    try:
        tree = ast.parse(source)
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (SyntaxError, tokenize.TokenError):
        return source
    documentation = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                documentation.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    comment_starts = {t.start[0]: t.start[1] for t in tokens if t.type == tokenize.COMMENT}
    lines = source.splitlines()
    for number in range(1, len(lines) + 1):
        if number in documentation:
            lines[number - 1] = ""
        elif number in comment_starts:
            lines[number - 1] = lines[number - 1][: comment_starts[number]]
    return "\n".join(lines)


def outside_references(
    text: str, *, svg: bool = False, python: bool = False
) -> list[tuple[int, str, str]]:
    """(line number, reason, line) for every reference to another host in ``text``."""
    found = []
    original = text.splitlines()
    if python:
        text = python_code_only(text)
    for number, line in enumerate(text.splitlines(), start=1):
        checked = SVG_NAMESPACE.sub("", line) if svg else line
        checked = OWN_ADDRESS.sub("", checked) if python else checked
        for reason, pattern in OUTSIDE_REFERENCES:
            if pattern.search(checked):
                found.append((number, reason, original[number - 1].strip()))
    return found


def csp_breaches(template: str) -> list[str]:
    """What in a template the Content-Security-Policy (``'self'`` only) would block."""
    markup = JINJA_CODE.sub("", template)
    breaches = []
    for tag in TAG.findall(markup):
        name = tag[1:].split(None, 1)[0].rstrip(">").lower()
        if re.search(r"\sstyle\s*=", tag, re.IGNORECASE):
            breaches.append(f"style attribute: {tag}")
        if re.search(r"\son[a-z]+\s*=", tag, re.IGNORECASE):
            breaches.append(f"inline event handler: {tag}")
        if name == "script" and not re.search(r"\ssrc\s*=", tag, re.IGNORECASE):
            breaches.append(f"inline script: {tag}")
        if name == "style":
            breaches.append(f"inline stylesheet: {tag}")
    if re.search(r"<script\b[^>]*>\s*[^<\s]", markup, re.IGNORECASE):
        breaches.append("code inside a <script> element")
    if re.search(r"javascript:", markup, re.IGNORECASE):
        breaches.append("javascript: URL")
    return breaches


def test_package_ships_templates_styles_scripts_and_icon():
    names = {path.relative_to(PACKAGE_DIR).as_posix() for path in shipped_files()}
    assert {"static/css/site.css", "static/js/site.js", "static/img/favicon.svg"} <= names
    assert "templates/base.html" in names


def test_no_shipped_file_refers_to_another_host():
    problems = []
    for path in shipped_files():
        text = path.read_bytes().decode("utf-8", errors="replace")
        kind = {"svg": path.suffix == ".svg", "python": path.suffix == ".py"}
        for number, reason, line in outside_references(text, **kind):
            problems.append(f"{path.relative_to(PACKAGE_DIR)}:{number}: {reason}: {line}")
    assert not problems, "references to other hosts:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "snippet",
    [
        '<link rel="stylesheet" href="https://cdn.example/x.css">',
        '<script src="//cdn.example/x.js"></script>',
        "<img src='//cdn.example/a.png'>",
        "@import url(https://fonts.example/css);",
        '@import "//fonts.example/css";',
        "background: url(//img.example/a.png);",
        "src: url('http://fonts.example/a.woff2');",
        'fetch("//api.example/v1")',
        "const socket = new WebSocket('wss://chat.example');",
        "# see http://docs.example/setup in a Python comment",
    ],
)
def test_scanner_catches_a_reference_to_another_host(snippet):
    assert outside_references(snippet), snippet


@pytest.mark.parametrize(
    "snippet",
    [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">',
        'host = urlsplit("//" + request.host).hostname',
        "// a JavaScript comment about a.b",
        '<a href="/u/ana">Ana</a>',
        'background: url("/static/img/cover.jpg");',
    ],
)
def test_scanner_allows_local_references_and_svg_namespaces(snippet):
    assert not outside_references(snippet, svg=True), snippet


def test_svg_namespace_is_allowed_only_inside_svg_files():
    assert outside_references('<svg xmlns="http://www.w3.org/2000/svg">', svg=False)


@pytest.mark.parametrize(
    "snippet",
    [
        'return f"https://{config.site.hostnames[0]}"',
        'url = f"http://127.0.0.1:{port}/healthz"',
        'click.echo(f"Serving on http://localhost:{port}/")',
    ],
)
def test_python_may_name_this_site_or_the_loopback_address(snippet):
    assert not outside_references(snippet, python=True), snippet
    assert outside_references(snippet, python=False), "templates and assets use relative URLs"


def test_python_may_not_name_a_fixed_outside_host():
    assert outside_references('UPDATE_URL = "https://updates.example/latest"', python=True)


def test_python_comments_and_docstrings_may_show_example_urls_but_code_may_not():
    source = (
        '"""Links: "see https://wiki/x." links to the page."""\n'
        "\n"
        "#: punctuation after https://wiki/x. ends the sentence\n"
        "def linkify(text):\n"
        '    """Turn https://host/path into a link."""\n'
        '    return text.replace("x", "y")  # e.g. http://host/a\n'
        'FEED = "https://news.example/rss"\n'
    )
    assert [number for number, _, _ in outside_references(source, python=True)] == [7]


def test_templates_have_no_inline_script_style_or_event_handlers():
    problems = [
        f"{path.relative_to(PACKAGE_DIR)}: {breach}"
        for path in templates()
        for breach in csp_breaches(path.read_text(encoding="utf-8"))
    ]
    assert not problems, "the Content-Security-Policy would block:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "markup",
    [
        '<p style="color: red">',
        '<button onclick="go()">',
        "<script>alert(1)</script>",
        '<script src="/static/js/site.js">alert(1)</script>',
        "<style>p { color: red }</style>",
        '<a href="javascript:void(0)">',
    ],
)
def test_csp_check_catches_inline_code(markup):
    assert csp_breaches(markup), markup


def test_csp_check_ignores_jinja_arguments_named_like_attributes():
    assert not csp_breaches("{% macro action_button(url, label, style='') %}{% endmacro %}")


def test_every_static_file_a_template_names_exists():
    missing = [
        f"{path.relative_to(PACKAGE_DIR)}: {name}"
        for path in templates()
        for name in STATIC_REFERENCE.findall(
            JINJA_COMMENT.sub("", path.read_text(encoding="utf-8"))
        )
        if not (STATIC_DIR / name).is_file()
    ]
    assert not missing, "templates name static files that do not exist:\n" + "\n".join(missing)


def test_stylesheet_defines_design_tokens_and_a_dark_scheme():
    css = (STATIC_DIR / "css" / "site.css").read_text(encoding="utf-8")
    tokens = set(re.findall(r"(--[\w-]+)\s*:", css))
    for token in ("--color-bg", "--color-text", "--color-primary", "--space-4", "--radius-md"):
        assert token in tokens, f"site.css does not define {token}"
    assert re.search(r"@media\s*\(\s*prefers-color-scheme:\s*dark\s*\)", css)
    used = set(re.findall(r"var\((--[\w-]+)", css))
    assert not used - tokens, f"site.css uses undefined tokens: {sorted(used - tokens)}"


def test_stylesheet_uses_system_fonts_and_no_data_urls():
    css = (STATIC_DIR / "css" / "site.css").read_text(encoding="utf-8")
    assert "@font-face" not in css, "fonts are the system's own; nothing to load"
    # img-src 'self' in the Content-Security-Policy blocks data: images.
    assert not re.search(r"url\(\s*[\"']?data:", css)


def test_script_needs_no_eval():
    script = (STATIC_DIR / "js" / "site.js").read_text(encoding="utf-8")
    for forbidden in ("eval(", "new Function", "document.write", "innerHTML"):
        assert forbidden not in script, f"site.js uses {forbidden}"

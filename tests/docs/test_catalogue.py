"""The docs catalogue: generated files current, the strict build, and the page as Chromium shows it.

The site is built with `mkdocs build --strict` (the hook draws each pipeline with Graphviz),
served on loopback, and opened in headless Chromium: the picture must be in the DOM and drawn
(the step boxes' colours on screen), and no internal link of the site may be broken.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import importlib.util
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from browser import dump_dom, screenshot
from pngcheck import read_png

from kfp_templates._producer.catalogue import GRAPH_END, GRAPH_START
from kfp_templates._producer.repo import template_dirs
from kfp_templates.contract import load_contract

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = [t.name for t in template_dirs(ROOT)]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "gen_reference", ROOT / "docs" / "gen_reference.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return _generator().catalogue_pages(ROOT)


def test_generated_catalogue_files_are_current(pages: dict[str, str]) -> None:
    stale = [p for p, text in pages.items() if (ROOT / p).read_text(encoding="utf-8") != text]
    assert not stale, f"stale: {stale}; run `python docs/gen_reference.py` and commit the result"


@pytest.mark.parametrize("name", TEMPLATES)
def test_page_has_functions_config_picture_and_changelog(pages: dict[str, str], name: str) -> None:
    page = pages[f"docs/catalogue/{name}.md"]
    contract, findings = load_contract(ROOT / "producer_templates" / name / "contract.yaml", name)
    assert contract is not None, findings
    assert f"![The {name} pipeline]({name}.svg)" in page
    assert pages[f"docs/catalogue/{name}.dot"].startswith("digraph pipeline {")
    assert all(f"| {f.qualified_name} | `def {f.name}(" in page for f in contract.functions)
    assert "| parameters." in page or "| gcp." in page
    changelog = (ROOT / "producer_templates" / name / "CHANGELOG.md").read_text(encoding="utf-8")
    first_entry = next(line for line in changelog.splitlines() if line.startswith("## "))
    assert f"#{first_entry}" in page.partition("## Changelog")[2]
    assert f"| [{name}]({name}.md) |" in pages["docs/catalogue/index.md"]


@pytest.mark.parametrize("name", TEMPLATES)
def test_readme_holds_the_mermaid_graph_github_draws(pages: dict[str, str], name: str) -> None:
    readme = pages[f"producer_templates/{name}/README.md"]
    section = readme.partition(GRAPH_START)[2].partition(GRAPH_END)[0]
    assert section.startswith("\n```mermaid\nflowchart TD\n")
    assert "\n```\n" in section


def _require(program: str, package: str) -> None:
    if shutil.which(program) is None:
        pytest.skip(f"{program} is not installed (Debian: apt-get install {package})")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _require("dot", "graphviz")
    site = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr
    return site


def test_strict_build_draws_every_pipeline(site: Path) -> None:
    for name in TEMPLATES:
        assert (site / "catalogue" / name / "index.html").is_file()
        picture = (site / "catalogue" / f"{name}.svg").read_text(encoding="utf-8")
        assert "<svg" in picture and 'class="node"' in picture


@contextlib.contextmanager
def served(directory: Path) -> Iterator[str]:
    """The directory over HTTP on a loopback port, for the browser."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(str(values[name]))
        if tag == "img" and values.get("src"):
            self.images.append(str(values["src"]))


def test_catalogue_page_in_chromium_shows_the_picture(site: Path, tmp_path: Path) -> None:
    with served(site) as base:
        url = urljoin(base, "catalogue/tabular_training/")
        dom = dump_dom(url)
        shot = screenshot(url, tmp_path / "catalogue.png", (1200, 1400))
    parser = _Links()
    parser.feed(dom)
    assert "tabular_training 1.0.0" in dom and "Changelog" in dom
    (image,) = [src for src in parser.images if src.endswith("tabular_training.svg")]
    assert _target(site, urljoin(url, image), base).is_file()
    png = read_png(shot)
    assert png.ink() > 20_000, "the page is blank"
    assert {(0xE8, 0xF0, 0xFE), (0xFF, 0xF4, 0xD6)} <= png.colours(), "the pipeline is not drawn"


def _target(site: Path, url: str, base: str) -> Path:
    path = site / unquote(urlsplit(url).path).removeprefix(urlsplit(base).path)
    return path / "index.html" if url.endswith("/") or path.is_dir() else path


def test_no_internal_link_of_the_site_is_broken(site: Path) -> None:
    base = "http://site.invalid/"
    broken = []
    for page in sorted(site.rglob("*.html")):
        page_url = urljoin(base, page.relative_to(site).as_posix())
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            target = urljoin(page_url, link.partition("#")[0])
            if not target.startswith(base) or not link.partition("#")[0]:
                continue  # another site (never fetched), or an anchor on the same page
            if not _target(site, target, base).is_file():
                broken.append(f"{page.relative_to(site)}: {link}")
    assert not broken
    assert (site / "catalogue" / "index.html").is_file()

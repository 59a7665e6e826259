"""Read one `user/` module as Python would: size limit, PEP 263 decoding, then `ast.parse`.

Every way of failing becomes a `ModuleFailure`, which becomes the module's `error` in the
interface document; a module that parses becomes a `ModuleScan`.
"""

from __future__ import annotations

import ast
import codecs
import io
import re
import warnings
from pathlib import Path

from kfp_templates._records import record
from kfp_templates._safe_paths import is_inside
from kfp_templates.validators._extract_module import ModuleScan, scan_module

TYPE_CHECKING = False  # typing's constant without importing typing (decision 62)
if TYPE_CHECKING:
    from typing import Any

MAX_FILE_BYTES = 1 << 20


@record
class ModuleFailure:
    """A module that exists but could not be parsed; becomes the module's `error`."""

    path: str
    status: str
    message: str
    line: int | None = None
    column: int | None = None

    def entry(self) -> dict[str, Any]:
        """The module's entry in the interface document."""
        error = {"message": self.message, "line": self.line, "column": self.column}
        return {"path": self.path, "status": self.status, "error": error}


def read_module(root: Path, module: str, path: Path) -> ModuleScan | ModuleFailure:
    """Read and parse one file; every way of failing becomes a `ModuleFailure`."""
    shown = path.relative_to(root).as_posix()
    if not is_inside(path, root):
        message = "it is a symlink out of the project or a loop (PRJ102), so it is never read"
        return ModuleFailure(shown, "unreadable", message)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return ModuleFailure(shown, "too_large", f"{size} bytes, over the 1 MiB limit")
        data = path.read_bytes()
    except OSError as error:
        return ModuleFailure(shown, "unreadable", f"cannot read it: {error.strerror or error}")
    source = _decode(shown, data)
    if isinstance(source, ModuleFailure):
        return source
    return _parse(module, shown, source, data)


_CODING_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


def _decode(shown: str, data: bytes) -> str | ModuleFailure:
    """The module's text, decoded as Python decodes it (PEP 263): UTF-8, or the codec a coding
    comment in the first two lines names; a byte-order mark means UTF-8."""
    encoding = _encoding(data)
    if isinstance(encoding, SyntaxError):  # an unknown codec, a cookie contradicting the BOM
        message = f"syntax error: {encoding.msg} in the coding comment"
        return ModuleFailure(shown, "syntax_error", message, _cookie_line(data), 1)
    try:
        return data.decode(encoding)
    except LookupError as error:  # a codec that is not a text encoding, such as rot13
        message = f"syntax error: {error} (the coding comment)"
        return ModuleFailure(shown, "syntax_error", message, _cookie_line(data), 1)
    except UnicodeDecodeError as error:
        text = bytes(error.object)  # after a byte-order mark, offsets count from its end
        line = text.count(b"\n", 0, error.start) + 1
        column = error.start - (text.rfind(b"\n", 0, error.start) + 1) + 1
        name = "UTF-8" if encoding in ("utf-8", "utf-8-sig") else encoding
        message = f"byte {text[error.start]:#04x} is not {name} ({error.reason})"
        return ModuleFailure(shown, "not_utf8", message, line, column)


def _encoding(data: bytes) -> str | SyntaxError:
    """The codec Python reads `data` with, found the way its tokenizer finds it."""
    if not _may_have_cookie(data):
        return "utf-8-sig"  # no cookie in the first two lines: UTF-8, after a BOM if any
    import tokenize  # noqa: PLC0415 - only for the rare file with a coding comment

    try:
        return tokenize.detect_encoding(io.BytesIO(data).readline)[0]
    except SyntaxError as error:
        if str(error.msg).startswith("invalid or missing encoding"):
            return "utf-8"  # a first line that is not UTF-8: decoding says where
        return error


def _may_have_cookie(data: bytes) -> bool:
    """Whether the first two lines mention `coding` (only then can PEP 263 apply)."""
    return b"coding" in data[: data.find(b"\n", data.find(b"\n") + 1) + 1 or len(data)]


def _cookie_line(data: bytes) -> int:
    """The line (1 or 2) of the coding comment, for locating its errors."""
    first, _, rest = data.removeprefix(codecs.BOM_UTF8).partition(b"\n")
    return 1 if _CODING_COOKIE.match(first) or not rest else 2


def _parse(module: str, shown: str, source: str, data: bytes) -> ModuleScan | ModuleFailure:
    """Parse the text; with a coding comment, the bytes, as Python does on import: its tokenizer
    also refuses what decodes here as a whole but not line by line (`utf-16` on ASCII text).
    Without one the text is parsed: the same tree, and the parser need not decode again."""
    try:
        with warnings.catch_warnings():  # "invalid escape sequence" and the like are not ours
            warnings.simplefilter("ignore", SyntaxWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            tree = ast.parse(data if _may_have_cookie(data) else source, filename=shown)
    except SyntaxError as error:
        line, column = (error.lineno, error.offset) if error.lineno else _nul_at(source)
        return ModuleFailure(shown, "syntax_error", f"syntax error: {error.msg}", line, column)
    except ValueError as error:  # null bytes in the source (before Python 3.11.4)
        return ModuleFailure(shown, "syntax_error", f"syntax error: {error}", *_nul_at(source))
    except (RecursionError, MemoryError):
        return ModuleFailure(shown, "too_deep", "nested too deeply for Python's parser")
    return scan_module(module, shown, source, tree)


def _nul_at(source: str) -> tuple[int | None, int | None]:
    """Line and column of the first NUL character, which the parser reports without either."""
    nul = source.find("\0")
    if nul < 0:
        return None, None
    return source.count("\n", 0, nul) + 1, nul - source.rfind("\n", 0, nul)

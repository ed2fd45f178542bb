"""Everything the CLI writes goes through here, so that no character and no closed pipe can crash a run.

A Chinese Windows PC redirects stdout as cp936 (GBK), where ✓ ✗ ⚠ ℹ do not exist; a
`| head -1` closes the pipe early; `>&-` starts the process with no stdout at all. The rules:

* **Machine formats** (``MACHINE_FORMATS``: json, sarif, junit, csv, gitlab, html) are UTF-8 bytes,
  whatever the locale, on stdout (written to its byte buffer) and in files.
* **Human formats** (text, markdown, github, help, messages) go to the text stream; a
  character the stream cannot encode is replaced by one it can (``FALLBACK``: ✓→√, ✗→×,
  ⚠→△, ℹ→※ …; then its NFKC form; then a ``\\uXXXX`` escape), so nothing of the meaning is lost.
* Every file written with ``--output`` is UTF-8; ``-`` as the path means stdout.
* A closed pipe (``BrokenPipeError``) or a missing stdout silences the rest of the output;
  the command still finishes and keeps its exit code.

API (for every command, and for new formats such as CSV or HTML):

    install()                        once at start-up (main() does it): error handler on stdout/stderr,
                                     a /dev/null stdout/stderr if the process started without one
    is_machine(fmt) -> bool
    say(text, err=False)             a human line (newline added) on stdout or stderr
    write_report(body, fmt, output)  a rendered report to stdout (output None or "-") or to a file
    write_piece(text, fmt)           a part of a report on stdout, as it comes (nothing added)
    write_file(path, body)           UTF-8 text to a file (raises OSError)
    to_stdout(output) -> bool        True for None and "-"
    degrade(text, encoding) -> str   the pure replacement, for tests and renderers that need it
    use_color(choice, stream=None)   --color auto|always|never with NO_COLOR / FORCE_COLOR
    width(stream=None) -> int        COLUMNS, else the terminal's width, else 120; never below 40
    finish()                         flush at exit, quietly if the reader has gone (main() does it)

Nothing below the CLI imports this module (renderers return strings; the CLI writes them).
"""

from __future__ import annotations

import codecs
import os
import sys
import unicodedata
from pathlib import Path
from typing import IO, Optional, Union

MACHINE_FORMATS = frozenset({"json", "sarif", "junit", "csv", "html", "gitlab"})

# A mark and the nearest one GBK (and most legacy code pages) can print.
FALLBACK: dict[str, str] = {
    "✓": "√",
    "✔": "√",
    "✗": "×",
    "✘": "×",
    "❌": "×",
    "⚠": "△",
    "ℹ": "※",
    "•": "·",
    "▶": ">",
    "↳": "→",
    "⁉": "!?",
    "\u00a0": " ",
}

ERRORS = "changju-degrade"
MIN_WIDTH = 40
MAX_WIDTH = 200
FILE_WIDTH = 120  # a redirected stream with no COLUMNS: as wide as a report file reads well

_broken = False  # the reader of stdout has gone: write nothing more there


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _substitute(ch: str, encoding: str) -> str:
    for candidate in (FALLBACK.get(ch), unicodedata.normalize("NFKC", ch)):
        if candidate and candidate != ch and _encodable(candidate, encoding):
            return candidate
    code = ord(ch)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _handler_for(encoding: Optional[str]):
    """The error handler for a stream of `encoding`. A single-byte code page (cp437, cp850,
    cp1252: an English Windows console, a CI runner) reports itself to the handler as 'charmap',
    which says nothing of what it can print: a replacement is checked against the stream's own
    encoding, or, where that is unknown, must be ASCII."""

    def handler(exc: UnicodeError) -> tuple[str, int]:
        if not isinstance(exc, UnicodeEncodeError):
            raise exc
        target = encoding or exc.encoding
        if target.lower().replace("-", "_") == "charmap":
            target = "ascii"
        chunk = exc.object[exc.start : exc.end]
        return "".join(_substitute(ch, target) for ch in chunk), exc.end

    return handler


codecs.register_error(ERRORS, _handler_for(None))


def errors_for(encoding: Optional[str]) -> str:
    """The name of the error handler for a stream of `encoding` (registered on first use)."""
    try:
        name = codecs.lookup(encoding).name if encoding else ""
    except LookupError:
        name = ""
    if not name:
        return ERRORS
    handler_name = f"{ERRORS}-{name}"
    try:
        codecs.lookup_error(handler_name)
    except LookupError:
        codecs.register_error(handler_name, _handler_for(name))
    return handler_name


def degrade(text: str, encoding: str) -> str:
    """`text` with every character `encoding` cannot encode replaced (see FALLBACK)."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        return text
    return text.encode(encoding, errors_for(encoding)).decode(encoding)


def is_machine(fmt: str) -> bool:
    return fmt in MACHINE_FORMATS


def to_stdout(output: Union[Path, str, None]) -> bool:
    return output is None or str(output) == "-"


# --------------------------------------------------------------------------- set-up


def _null_stream(fd: int) -> IO[str]:
    """A text stream on /dev/null, put on `fd` so no later open() is handed the closed descriptor."""
    null = os.open(os.devnull, os.O_WRONLY)
    if null != fd:
        try:
            os.dup2(null, fd)
            os.close(null)
            null = fd
        except OSError:
            pass
    return open(null, "w", encoding="utf-8", closefd=False)


def install() -> None:
    """Make stdout and stderr safe for the rest of the process (idempotent)."""
    global _broken
    if sys.stdout is None:
        sys.stdout = _null_stream(1)
        _broken = True
    if sys.stderr is None:
        sys.stderr = _null_stream(2)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors=errors_for(getattr(stream, "encoding", None)))
            except (ValueError, OSError, TypeError):
                pass


def _silence_stdout() -> None:
    """The reader went away: point fd 1 at /dev/null so the interpreter's last flush cannot fail."""
    global _broken
    _broken = True
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


def finish() -> None:
    """Flush stdout and stderr; a reader that has gone is not an error."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (BrokenPipeError, ValueError):
            if stream is sys.stdout:
                _silence_stdout()
        except OSError:
            pass


# --------------------------------------------------------------------------- writing


def _encoding(stream: IO[str]) -> str:
    return getattr(stream, "encoding", None) or "utf-8"


def _write_text(stream: IO[str], text: str) -> None:
    if stream is sys.stdout and _broken:
        return
    try:
        try:
            stream.write(text)
        except UnicodeEncodeError:  # a stream whose error handler we could not set
            stream.write(degrade(text, _encoding(stream)))
        stream.flush()
    except BrokenPipeError:
        if stream is sys.stdout:
            _silence_stdout()
    except (ValueError, OSError):  # closed or unwritable: nothing to tell it to
        if stream is sys.stdout:
            _silence_stdout()


def _write_bytes(stream: IO[str], data: bytes) -> None:
    if stream is sys.stdout and _broken:
        return
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a text-only stream (some test harnesses): it takes str
        _write_text(stream, data.decode("utf-8"))
        return
    try:
        stream.flush()
        buffer.write(data)
        buffer.flush()
    except BrokenPipeError:
        if stream is sys.stdout:
            _silence_stdout()
    except (ValueError, OSError):
        if stream is sys.stdout:
            _silence_stdout()


def _line(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def say(text: str, err: bool = False) -> None:
    """One human message on stdout (or stderr), newline added; never raises. On stderr (errors,
    warnings, notes: they name packets, folders and files, whatever the report's format) control
    and bidi characters are shown as escapes (\\x1b, \\u202e): a folder name carrying an escape
    sequence cannot drive the terminal or a CI log."""
    if err:
        from changju_check.render._common import visible

        text = visible(text)
    _write_text(sys.stderr if err else sys.stdout, _line(text))


def say_partial(text: str, err: bool = True) -> None:
    """Text without a newline (a progress bar redrawn with \r); never raises."""
    _write_text(sys.stderr if err else sys.stdout, text)


def write_file(path: Union[Path, str], body: str) -> None:
    """UTF-8 text into a file, written the safe way (changju_check.write); raises OSError for the
    caller to report."""
    from changju_check.write import write_text

    write_text(path, _line(body))


def write_report(body: str, fmt: str, output: Union[Path, str, None] = None) -> None:
    """A rendered report: machine formats as UTF-8 bytes, human ones degraded to the stream.
    `output` None or "-" is stdout; a path is a UTF-8 file (OSError to the caller)."""
    if not to_stdout(output):
        write_file(output, body)
        return
    if is_machine(fmt):
        _write_bytes(sys.stdout, _line(body).encode("utf-8"))
    else:
        _write_text(sys.stdout, _line(body))


def write_piece(text: str, fmt: str) -> None:
    """A part of a report on stdout as `write_report` writes a whole one, nothing added."""
    if not text:
        return
    if is_machine(fmt):
        _write_bytes(sys.stdout, text.encode("utf-8"))
    else:
        _write_text(sys.stdout, text)


# --------------------------------------------------------------------------- terminal conventions

COLOR_CHOICES = ("auto", "always", "never")


def _env_flag(name: str) -> bool:
    value = os.environ.get(name)
    return value is not None and value.strip().lower() not in ("", "0", "false", "no")


def use_color(choice: Optional[str] = None, stream: Optional[IO[str]] = None) -> bool:
    """--color always/never decide; auto (the default): NO_COLOR (no-color.org) turns colour off,
    FORCE_COLOR turns it on, else colour only when the stream is a terminal."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR", "") != "":
        return False
    if _env_flag("FORCE_COLOR"):
        return True
    stream = stream if stream is not None else sys.stdout
    try:
        return bool(stream.isatty()) and not _broken
    except (AttributeError, ValueError):
        return False


def width(stream: Optional[IO[str]] = None) -> int:
    """Columns to lay out for: COLUMNS, else the terminal's width, else FILE_WIDTH; at least 40."""
    columns = os.environ.get("COLUMNS", "").strip()
    found: Optional[int] = None
    if columns.isdigit() and int(columns) > 0:
        found = int(columns)
    else:
        stream = stream if stream is not None else sys.stdout
        try:
            if stream.isatty():
                found = os.get_terminal_size(stream.fileno()).columns
        except (AttributeError, ValueError, OSError):
            found = None
    if not found:
        found = FILE_WIDTH
    return max(MIN_WIDTH, min(found, MAX_WIDTH))

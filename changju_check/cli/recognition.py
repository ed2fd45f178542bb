"""The options that decide how a packet's files are recognised and read, declared once and shared
by every command that checks a packet (`check`, `bundle`): the same option, the same default, the
same help, the same CheckOptions. A command that gives the verdict and a command that acts on it
therefore see one packet the same way (engine/recognition.py).

Add a recognition option here (its Typer declaration, its Chinese help in cli/i18n.py under
``* --name``, and its place in `recognition_options`), then take it in both commands.
"""

from __future__ import annotations

from dataclasses import dataclass

import typer

READ_SCANS_OPTION = typer.Option(
    None, "--read-scans/--no-read-scans",
    help="Read every scan's pages / never read them (default: where reading can change the result, if the [scan] "
         "extra is installed; the configuration's read_scans)")
SCAN_PAGES_OPTION = typer.Option(
    3, "--scan-pages", help="At most this many pages read from each scan (each document's layout says how many it needs)"
)
SEALS_OPTION = typer.Option("required", "--seals", help="required: check seals where the guide asks for them; all: on every attachment")
NO_CACHE_OPTION = typer.Option(False, "--no-cache", help="Do not use the OCR cache")
FILE_TIMEOUT_OPTION = typer.Option(5.0, "--file-timeout", help="Seconds allowed to inspect one file")
# the verdict's own settings (with the repository configuration's strict / select / ignore)
STRICT_OPTION = typer.Option(None, "--strict/--no-strict", help="Warnings count as errors (default: the configuration's strict, else no)")
SELECT_OPTION = typer.Option(None, "--select", help="Only these codes (comma-separated prefixes, e.g. CJ1,CJ201)")
IGNORE_OPTION = typer.Option(None, "--ignore", help="Skip these codes (comma-separated prefixes)")


@dataclass(frozen=True)
class Recognition:
    """What the recognition options asked for, checked (exit 2 for a wrong value)."""

    # True: every scan; False: none; None (the default): where reading can change the result
    read_scans: bool | None = None
    scan_pages: int = 3
    seals: str = "required"
    no_cache: bool = False
    file_timeout: float = 5.0

    def check_options(self, scan_cache_ok: bool = True) -> dict:
        """The fields of CheckOptions these options set."""
        return {
            "read_scans": self.read_scans,
            "scan_pages": self.scan_pages,
            "seals": self.seals,
            "scan_cache": not self.no_cache and scan_cache_ok,
            "file_timeout": self.file_timeout,
        }


def recognition_options(lang: str, *, read_scans: bool | None, scan_pages: int = Recognition.scan_pages,
                        seals: str = Recognition.seals, no_cache: bool = Recognition.no_cache,
                        file_timeout: float = Recognition.file_timeout) -> Recognition:
    """The recognition options of a command line, refused (exit 2) where they cannot be used:
    a wrong --seals, or --read-scans without the [scan] extra. `read_scans`: as settled with the
    repository configuration (`verdict_settings(..., read_scans=...)`)."""
    from changju_check.cli.app import _fail
    from changju_check.report import Msg

    if seals not in ("required", "all"):
        raise _fail(Msg(zh="--seals 只能是 required 或 all", en="--seals takes required or all"), lang)
    if read_scans:
        from changju_check import scan

        if not scan.available():
            from changju_check.cli.progress import missing_msg

            raise _fail(missing_msg(), lang)
    return Recognition(read_scans=read_scans, scan_pages=scan_pages, seals=seals, no_cache=no_cache, file_timeout=file_timeout)


def verdict_settings(lang: str, config, *, as_of, strict, select, ignore, rules_dir, lang_opt=None, read_scans=None):
    """as_of, strict, select, ignore, lang and rules as every command that gives or acts on a verdict
    settles them: the command line, then the repository configuration `config` (found outside the
    packets being read: cli/app.repo_config), then the defaults."""
    from changju_check.cli.app import _codes, _known_codes, _parse_date
    from changju_check.cli.config import settle

    return settle(
        config,
        {"as_of": _parse_date(as_of, lang), "strict": strict,
         "select": _known_codes(_codes(select), "--select", lang), "ignore": _known_codes(_codes(ignore), "--ignore", lang),
         "lang": lang_opt.value if lang_opt else None, "rules": rules_dir, "read_scans": read_scans},
    )


def check_options(settings, recognition: Recognition, *, scan_cache_ok: bool = True, **given):
    """The CheckOptions of a command: its settled settings, its recognition options, and the rest
    (`given`: category, manifest, in_batch, previews, show_personal)."""
    from changju_check.engine.run import CheckOptions

    from_cli = settings["as_of"].source == "command line"
    return CheckOptions(
        as_of=settings["as_of"].value if from_cli else None,
        default_as_of=None if from_cli else settings["as_of"].value,
        rules_dir=settings["rules"].value,
        strict=bool(settings["strict"].value),
        select=frozenset(settings["select"].value) if settings["select"].value is not None else None,
        ignore=frozenset(settings["ignore"].value or ()),
        **recognition.check_options(scan_cache_ok),
        **given,
    )

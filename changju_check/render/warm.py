"""Imported by the review sheet's printer process (`html.SheetPrinter`) as it starts: importing this
module compiles the sheet's template, so that the work is done while the packet is checked."""

from changju_check.render.html import _environment

_environment().get_template("report.html.j2")

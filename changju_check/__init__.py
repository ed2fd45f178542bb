"""changju-check: checklist and validator for 昌聚工程 application packets."""

__version__ = "0.1.0"

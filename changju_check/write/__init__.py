"""Writing files safely: the one way every command writes what the user asked for (a report, the
book, a manifest template) and the caches write their entries. Imports nothing of the package.

    from changju_check.write import write_file, write_text

    write_text(Path("report.sarif"), body)          # atomic: temporary file beside it, then rename
    write_file(Path("book.pdf"), lambda fh: pdf.save(fh))            # a producer writing to the file
"""

from changju_check.write.file import (
    TEMP_PREFIX,
    TEMP_SUFFIX,
    is_inside,
    write_file,
    write_text,
)

__all__ = ["TEMP_PREFIX", "TEMP_SUFFIX", "is_inside", "write_file", "write_text"]

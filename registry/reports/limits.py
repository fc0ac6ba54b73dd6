"""What typesetting may take, and the error it raises: importable without WeasyPrint.

Commands and pages that never render a PDF (`dpa-registry check`, every page but a report's)
import these names and not `registry.reports.pdf`, so they do not pay for loading WeasyPrint.
"""

DEFAULT_TIMEOUT_SECONDS = 30
DEFAULT_MEMORY_MB = 1024


class ReportError(Exception):
    """A report could not be produced; the message says why, in words a user can act on."""

"""Word-level differences between two versions of an instruction's text (for display)."""

import difflib
import re

_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(before, after):
    """Return [(kind, text)] with kind "equal", "delete" or "insert", in reading order.

    The text is returned raw; templates escape it like any other value.
    """
    old, new = _TOKENS.findall(before or ""), _TOKENS.findall(after or "")
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    segments = []
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if operation == "equal":
            segments.append(("equal", "".join(old[old_start:old_end])))
            continue
        if old_end > old_start:
            segments.append(("delete", "".join(old[old_start:old_end])))
        if new_end > new_start:
            segments.append(("insert", "".join(new[new_start:new_end])))
    return segments

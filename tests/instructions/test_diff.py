"""Word-level diff between instruction versions."""

from registry.instructions.diff import word_diff


def test_changed_words_are_marked_and_the_rest_kept():
    segments = word_diff("Keep orders 6 years.", "Keep orders 10 years.")
    assert segments == [("equal", "Keep orders "), ("delete", "6"), ("insert", "10"),
                        ("equal", " years.")]


def test_reassembling_either_side_gives_the_texts_back():
    before, after = "Delete inactive members\nafter 24 months.", "Delete members after 12 months."
    segments = word_diff(before, after)
    assert "".join(text for kind, text in segments if kind != "insert") == before
    assert "".join(text for kind, text in segments if kind != "delete") == after


def test_a_first_version_against_nothing_is_all_inserted():
    assert word_diff("", "New rule") == [("insert", "New rule")]

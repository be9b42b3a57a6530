"""Long texts (a full rekap) cut into messages a platform accepts, never inside a tag pair."""

from __future__ import annotations

from messages import split_message
from messages.styles import validate_telegram_html


def coop_lines(count: int) -> str:
    return "\n".join(
        f"<b>Koperasi {n:03}</b>: 12 karton, <i>Rp 1.250.000</i>" for n in range(count)
    )


def test_a_short_text_stays_one_message() -> None:
    assert split_message("Halo\nDunia") == ["Halo\nDunia"]


def test_a_long_summary_is_cut_between_lines_and_every_part_is_valid_html() -> None:
    text = coop_lines(300)
    parts = split_message(text, limit=1000)
    assert len(parts) > 1
    assert all(len(part) <= 1000 for part in parts)
    assert "\n".join(parts) == text
    for part in parts:
        validate_telegram_html(part)


def test_parts_fill_up_to_the_limit_exactly() -> None:
    assert split_message("aaaa\nbbbb\ncccc", limit=9) == ["aaaa\nbbbb", "cccc"]


def test_blank_lines_at_a_cut_do_not_make_empty_messages() -> None:
    assert split_message("aaaa\n\n\n\nbbbb", limit=5) == ["aaaa", "bbbb"]
    assert split_message("\n \n") == []


def test_a_single_overlong_line_is_cut_at_spaces() -> None:
    parts = split_message("satu dua tiga empat lima", limit=10)
    assert parts == ["satu dua", "tiga empat", "lima"]


def test_a_word_longer_than_the_limit_is_cut_hard() -> None:
    assert split_message("x" * 25, limit=10) == ["x" * 10, "x" * 10, "x" * 5]


def test_emoji_count_twice_as_telegram_counts_them() -> None:
    parts = split_message("🛒🛒🛒\n🛒🛒🛒", limit=6)
    assert parts == ["🛒🛒🛒", "🛒🛒🛒"]
    assert split_message("🛒🛒🛒🛒", limit=6) == ["🛒🛒🛒", "🛒"]

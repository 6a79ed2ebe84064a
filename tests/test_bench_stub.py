"""The benchmark's Bot API stub enforces Telegram's send limits as sliding windows: capacity
figures are only as true as this arithmetic."""

from __future__ import annotations

from bench.stub import Limits


def test_a_private_chat_gets_one_message_a_second() -> None:
    limits = Limits()
    assert limits.check(5, 100.0) == 0
    assert limits.check(5, 100.5) == 0.5
    assert limits.check(5, 101.0) == 0
    assert limits.refused == 1


def test_a_group_gets_twenty_a_minute() -> None:
    limits = Limits()
    assert [limits.check(-7, 10.0 + i) for i in range(20)] == [0.0] * 20
    assert limits.check(-7, 40.0) == 30.0  # the first of the twenty leaves the window at 70
    assert limits.check(-7, 70.0) == 0


def test_the_token_gets_thirty_a_second_across_chats() -> None:
    limits = Limits()
    assert all(limits.check(chat, 1.0 + chat / 100) == 0 for chat in range(1, 31))
    assert limits.check(99, 1.5) > 0
    assert limits.check(99, 2.02) == 0

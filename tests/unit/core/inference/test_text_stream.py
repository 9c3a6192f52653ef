"""Streaming text: stop strings across tokens, UTF-8 split across tokens."""

from __future__ import annotations

from medassist_desktop.core.inference.text_stream import StopStringStream


def test_stop_string_spanning_tokens_is_never_shown() -> None:
    stream = StopStringStream(["###"])
    shown = [stream.push(b"Give ORS #")[0], stream.push(b"#")[0]]
    text, stopped = stream.push(b"# and more")
    assert "".join(shown) + text == "Give ORS "
    assert stopped


def test_held_back_prefix_is_released_when_it_is_not_a_stop() -> None:
    stream = StopStringStream(["###"])
    assert stream.push(b"a #") == ("a ", False)
    assert stream.push(b"b") == ("#b", False)
    assert stream.push(b"#") == ("", False)
    assert stream.flush() == "#"


def test_utf8_character_split_across_tokens() -> None:
    stream = StopStringStream([])
    text = "ไข้"  # Thai "fever": 3 bytes per character
    data = text.encode()
    out = "".join(stream.push(data[i : i + 2])[0] for i in range(0, len(data), 2))
    assert out + stream.flush() == text
    assert "\ufffd" not in out


def test_earliest_of_several_stops_wins() -> None:
    stream = StopStringStream(["END", "Q:"])
    assert stream.push(b"answer Q: x END") == ("answer ", True)

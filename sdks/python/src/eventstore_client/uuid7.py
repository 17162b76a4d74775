"""UUID version 7 (RFC 9562): 48 bits of Unix time in milliseconds, then random bits.

Ids made by one process are strictly increasing: within one millisecond a 12-bit counter (seeded
at random every millisecond) fills rand_a (RFC 9562 section 6.2, method 1).
"""
import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7() -> uuid.UUID:
    """A new UUID v7."""
    global _last_ms, _counter
    with _lock:
        now = time.time_ns() // 1_000_000
        if now > _last_ms:
            _last_ms = now
            _counter = int.from_bytes(os.urandom(2), "big") & 0x7FF  # leave room to count up
        else:
            _counter += 1
            if _counter > 0xFFF:  # counter exhausted: borrow the next millisecond
                _last_ms += 1
                _counter = 0
        ms, counter = _last_ms, _counter
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | counter << 64 | 0b10 << 62 | rand_b
    return uuid.UUID(int=value)


def new_event_id() -> str:
    """A new UUID v7 in canonical lower-case 8-4-4-4-12 text."""
    return str(uuid7())


def is_uuid7(text: str) -> bool:
    """Whether text is a canonical lower- or upper-case UUID of version 7 and the RFC variant."""
    if len(text) != 36 or [text[i] for i in (8, 13, 18, 23)] != ["-"] * 4:
        return False
    try:
        parsed = uuid.UUID(text)
    except ValueError:
        return False
    return parsed.version == 7 and parsed.variant == uuid.RFC_4122


__all__ = ["uuid7", "new_event_id", "is_uuid7"]

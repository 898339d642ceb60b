"""Each work's record kept in the index as one value: its JSON text compressed alone with
Zstandard, against a dictionary trained on a sample of the index's own records.

Why not one column per field: a lookup reads rows scattered over the whole table, and a
columnar table decompresses every block of a column to read any few rows of it — 10^5 DOIs
cost a pass over every field of 10^7 records. A record packed alone is one value to read and
one small decompression. The dictionary holds what records share (field names, journals,
publishers, date shapes): a record of about 1.1 kB packs into about 180 bytes.
"""

from __future__ import annotations

import zstandard

DICTIONARY_BYTES = 112_640  # Zstandard's own default size for a trained dictionary
LEVEL = 3  # higher levels packed 10 % smaller and 5 times slower: the build would be slower
SAMPLES = 10_000  # records the dictionary is trained on
_FEWEST = 1_000  # fewer records than this: packed without a dictionary (too few to train one)


def trained_dictionary(samples: list[bytes]) -> bytes:
    """A dictionary for records like these; empty when they are too few to train one (a small
    index packs without: a little larger, read the same)."""
    if len(samples) < _FEWEST:
        return b""
    try:
        return zstandard.train_dictionary(DICTIONARY_BYTES, samples).as_bytes()
    except zstandard.ZstdError:  # samples too alike or too small to find anything shared
        return b""


def _dictionary(data: bytes) -> dict[str, zstandard.ZstdCompressionDict]:
    return {"dict_data": zstandard.ZstdCompressionDict(data)} if data else {}


class Packer:
    """`Packer(dictionary).pack(text)`: one record's JSON text, packed."""

    def __init__(self, dictionary: bytes) -> None:
        self._compressor = zstandard.ZstdCompressor(
            level=LEVEL, write_checksum=False, write_dict_id=False, write_content_size=True,
            **_dictionary(dictionary))

    def pack(self, text: str) -> bytes:
        return self._compressor.compress(text.encode())


class Unpacker:
    """`Unpacker(dictionary).unpack(packed)`: the record's JSON text again (not shared
    between threads: each index opened has its own)."""

    def __init__(self, dictionary: bytes) -> None:
        self._decompressor = zstandard.ZstdDecompressor(**_dictionary(dictionary))

    def unpack(self, packed: bytes) -> str:
        return self._decompressor.decompress(packed).decode()

"""A zip package rewritten without touching what did not change.

An .xlsx/.xlsm is a zip of XML parts. `rewrite` writes a new package in which every
part that did not change keeps its local header and compressed bytes exactly as they
were (no inflate, no deflate), and only the changed or new parts are compressed.
Parts keep their order; new ones go at the end, in the order given.

The central directory is read here rather than through `zipfile`, so that each
kept entry's directory record is copied too, with only its offset moved. ZIP64
packages (over 4 GB or 65,535 parts, which no workbook reaches) are rewritten
through `zipfile` instead.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from io import BytesIO

_LOCAL = struct.Struct("<4s5H3L2H")  # signature ... name length, extra length
_CENTRAL = struct.Struct("<4s6H3L5H2L")  # signature ... local header offset
_END = struct.Struct("<4s4H2LH")
_LOCAL_SIG, _CENTRAL_SIG, _END_SIG = b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"
_DESCRIPTOR_SIG = b"PK\x07\x08"
_ZIP64_MARK = 0xFFFFFFFF
_LARGE = 1 << 20  # a part this large is deflated beside another (`_deflate_all`)
_LEVEL = 3  # far faster than zlib's default 6 for parts a little larger (docs/headless.md)


@dataclass(frozen=True)
class Entry:
    """One part as stored: where its local record lies and its directory record."""

    name: str
    start: int  # offset of the local header
    end: int  # offset just past the compressed data (and its data descriptor)
    central: bytes  # the central directory record, name, extra and comment included
    date_time: tuple[int, int]  # DOS time and date, for a replacement of this part


class Zip64(Exception):
    """The package uses ZIP64 records: rewrite it through zipfile."""


def entries(data: bytes) -> list[Entry]:
    """The parts of the package in directory order, with the spans to copy them by."""
    end_at = data.rfind(_END_SIG, max(0, len(data) - 65_557))
    if end_at < 0:
        raise zipfile.BadZipFile("no end of central directory: not a zip file")
    _, _, _, _, count, size, offset, _ = _END.unpack_from(data, end_at)
    if count == 0xFFFF or offset == _ZIP64_MARK or size == _ZIP64_MARK:
        raise Zip64
    found, at = [], offset
    for _ in range(count):
        fields = _CENTRAL.unpack_from(data, at)
        if fields[0] != _CENTRAL_SIG:
            raise zipfile.BadZipFile(f"bad central directory record at {at}")
        flags, time, date, compressed = fields[3], fields[5], fields[6], fields[8]
        name_len, extra_len, comment_len, local = fields[10], fields[11], fields[12], fields[16]
        if _ZIP64_MARK in (compressed, fields[9], local):
            raise Zip64
        record_end = at + _CENTRAL.size + name_len + extra_len + comment_len
        raw_name = data[at + _CENTRAL.size:at + _CENTRAL.size + name_len]
        name = raw_name.decode("utf-8" if flags & 0x800 else "cp437")
        head = _LOCAL.unpack_from(data, local)
        if head[0] != _LOCAL_SIG:
            raise zipfile.BadZipFile(f"bad local header for {name}")
        data_end = local + _LOCAL.size + head[9] + head[10] + compressed
        if flags & 0x08:  # a data descriptor follows the data, with or without signature
            data_end += 16 if data[data_end:data_end + 4] == _DESCRIPTOR_SIG else 12
        found.append(Entry(name, local, data_end, data[at:record_end], (time, date)))
        at = record_end
    return found


def _deflated(name: str, content: bytes, date_time: tuple[int, int]) -> tuple[bytes, bytes]:
    """The local record (header + deflated data) and the directory record of a new part."""
    packer = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15)
    packed = packer.compress(content) + packer.flush()
    raw_name = name.encode("utf-8")
    flags = 0 if raw_name.isascii() else 0x800
    crc = zlib.crc32(content)
    time, date = date_time
    local = _LOCAL.pack(_LOCAL_SIG, 20, flags, 8, time, date, crc, len(packed), len(content),
                        len(raw_name), 0) + raw_name
    central = _CENTRAL.pack(_CENTRAL_SIG, 20, 20, flags, 8, time, date, crc, len(packed),
                            len(content), len(raw_name), 0, 0, 0, 0, 0, 0) + raw_name
    return local + packed, central


def _deflate_all(parts: Mapping[str, tuple[bytes, tuple[int, int]]]
                 ) -> dict[str, tuple[bytes, bytes]]:
    """Each part's records (`_deflated`), the large ones two at a time: zlib compresses
    without the interpreter's lock, so on two cores the table's sheet and another
    written beside it (the saved proposal, the aged balance: a few MB of XML each) are
    deflated at once (docs/performance.md)."""
    large = [name for name, (content, _) in parts.items() if len(content) >= _LARGE]
    if len(large) < 2:
        return {name: _deflated(name, *part) for name, part in parts.items()}
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="relances-deflate") as pool:
        ahead = {name: pool.submit(_deflated, name, *parts[name]) for name in large}
        made = {name: _deflated(name, *part) for name, part in parts.items()
                if name not in ahead}
        made.update((name, future.result()) for name, future in ahead.items())
    return made


def rewrite(data: bytes, changed: Mapping[str, bytes | None]) -> bytes:
    """The package with `changed` parts replaced (None: removed) or added.

    Every other part is copied as stored, byte for byte.
    """
    try:
        kept = entries(data)
    except Zip64:
        return _rewrite_with_zipfile(data, changed)
    out = BytesIO()
    directory = []
    default_time = kept[0].date_time if kept else (0, 0x21)  # 1980-01-01
    times = {entry.name: entry.date_time for entry in kept}
    made = _deflate_all({name: (content, times.get(name, default_time))
                         for name, content in changed.items() if content is not None})
    names = set()
    for entry in kept:
        names.add(entry.name)
        offset = out.tell()
        if entry.name in changed:
            if changed[entry.name] is None:
                continue
            local, central = made[entry.name]
            out.write(local)
        else:
            out.write(data[entry.start:entry.end])
            central = entry.central
        directory.append(central[:42] + struct.pack("<L", offset) + central[46:])
    for name, content in changed.items():
        if name in names or content is None:
            continue
        offset = out.tell()
        local, central = made[name]
        out.write(local)
        directory.append(central[:42] + struct.pack("<L", offset) + central[46:])
    start = out.tell()
    for record in directory:
        out.write(record)
    size = out.tell() - start
    out.write(_END.pack(_END_SIG, 0, 0, len(directory), len(directory), size, start, 0))
    return out.getvalue()


def _rewrite_with_zipfile(data: bytes, changed: Mapping[str, bytes | None]) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as target:
        for info in source.infolist():
            if info.filename in changed:
                content = changed[info.filename]
                if content is not None:
                    target.writestr(info, content, zipfile.ZIP_DEFLATED)
            else:
                target.writestr(info, source.read(info))
        present = set(source.namelist())
        for name, content in changed.items():
            if name not in present and content is not None:
                target.writestr(name, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()

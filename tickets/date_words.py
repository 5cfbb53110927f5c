"""The words `tickets.dates` reads, in English and Indonesian. Standard library only."""
from __future__ import annotations

import re

_S, _M, _H = 1, 60, 3600
DAY, WEEK = "d", "w"
UNITS: dict[str, int | str] = {}
for _unit, _words in ((_S, "s sec secs second seconds detik dtk"), (_M, "m min mins minute minutes menit mnt"),
                      (_H, "h hr hrs hour hours jam"), (DAY, "d day days hari"),
                      (WEEK, "w wk wks week weeks minggu mgg pekan")):
    for _w in _words.split():
        UNITS[_w] = _unit
del _unit, _words, _w

CONNECTORS = frozenset({"at", "on", "by", "pukul", "jam", "pada", "tanggal", "tgl", "hari", "this", "ini",
                        "next", "depan", "the"})
HOUR_CONNECTORS = frozenset({"at", "pukul", "jam"})
SHIFTS = {"today": 0, "tomorrow": 1, "tmr": 1, "besok": 1, "lusa": 2, "hariini": 0, "sekarang": 0}
WEEKDAYS: dict[str, int] = {}
for _i, _names in enumerate(("monday mon senin sen", "tuesday tue tues selasa sel", "wednesday wed rabu rab",
                             "thursday thu thur thurs kamis kam", "friday fri jumat jum'at jum jumaat",
                             "saturday sat sabtu sab", "sunday sun minggu ahad min")):
    for _w in _names.split():
        WEEKDAYS[_w] = _i
MONTHS: dict[str, int] = {}
for _i, _names in enumerate(("jan january januari", "feb february februari peb pebruari", "mar march maret",
                             "apr april", "may mei", "jun june juni", "jul july juli",
                             "aug august agustus agu agt ags", "sep sept september",
                             "oct october okt oktober", "nov november nop nopember",
                             "dec december des desember"), start=1):
    for _w in _names.split():
        MONTHS[_w] = _i
del _i, _names, _w
PHRASES = ((re.compile(r"\b(?:end\s+of\s+(?:the\s+)?week|akhir\s+(?:minggu|pekan)(?:\s+ini)?|eow)\b"), " @eow "),
           (re.compile(r"\bhari\s+ini\b"), " today "))


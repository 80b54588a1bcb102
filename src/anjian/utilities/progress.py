"""A small progress bar for long CLI work (stderr; a line every 10 % when not a terminal)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, label: str, total: int, stream: TextIO | None = None, width: int = 30) -> None:
        self.label = label
        self.total = max(total, 1)
        self.stream = stream or sys.stderr
        self.width = width
        self.done = 0
        self.started = time.monotonic()
        self.tty = self.stream.isatty()
        self._last_decile = -1

    def advance(self, n: int = 1) -> None:
        self.done = min(self.total, self.done + n)
        self._draw()

    def _draw(self) -> None:
        fraction = self.done / self.total
        if self.tty:
            filled = int(self.width * fraction)
            bar = "█" * filled + "░" * (self.width - filled)
            self.stream.write(f"\r{self.label} {bar} {fraction:4.0%} {self.done}/{self.total}")
            if self.done >= self.total:
                self.stream.write(f"  {time.monotonic() - self.started:.1f}s\n")
            self.stream.flush()
        else:
            decile = int(fraction * 10)
            if decile != self._last_decile:
                self._last_decile = decile
                self.stream.write(f"{self.label}: {fraction:.0%} ({self.done}/{self.total})\n")
                self.stream.flush()

    def finish(self) -> None:
        if self.done < self.total:
            self.done = self.total
            self._draw()

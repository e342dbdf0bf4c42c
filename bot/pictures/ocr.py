"""Reading the text in a picture offline with RapidOCR (PP-OCR models inside its wheel).

The models are loaded once, on the first picture, never at start-up: a bot that is never
sent a picture pays nothing. One engine is shared and reads one picture at a time (a lock):
the bot's worker has one thread anyway, and the command line's batch workers are separate
processes, each with its own engine.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import numpy as np
from PIL import Image

from bot.pictures.screen import Line

log = logging.getLogger(__name__)

#: onnxruntime threads per reading: one, so that reading a picture leaves the other core to
#: the replies of everyone else.
THREADS = 1


class Ocr:
    """The shared reader; `read` is safe to call from any thread."""

    def __init__(self) -> None:
        self._engine: Any = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        """Whether the models are in memory (after the first picture)."""
        return self._engine is not None

    def _load(self) -> Any:
        from rapidocr import RapidOCR  # heavy (onnxruntime, OpenCV): only when first needed

        # RapidOCR logs each model file it loads; the bot's log keeps to its own events.
        logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        engine = RapidOCR(
            params={
                "Global.log_level": "error",
                "EngineConfig.onnxruntime.intra_op_num_threads": THREADS,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            }
        )
        log.info("picture reader loaded")
        return engine

    def read(self, image: Image.Image) -> list[Line]:
        """The lines of text in `image` (RGB), top to bottom, with their confidence (see
        `read.MIN_SCORE`: the caller drops the doubtful ones)."""
        pixels = np.asarray(image)[:, :, ::-1]  # RapidOCR reads OpenCV's BGR order
        with self._lock:
            if self._engine is None:
                self._engine = self._load()
            result = self._engine(np.ascontiguousarray(pixels))
        boxes = getattr(result, "boxes", None)
        texts = getattr(result, "txts", None) or ()
        scores = getattr(result, "scores", None) or ()
        if boxes is None:
            return []
        lines = []
        for box, text, score in zip(boxes, texts, scores, strict=False):
            xs = [float(p[0]) for p in box]
            ys = [float(p[1]) for p in box]
            if text.strip():
                lines.append(Line(text.strip(), min(xs), min(ys), max(xs), max(ys), float(score)))
        lines.sort(key=lambda line: (line.top, line.left))
        return lines


#: The one reader of this process.
OCR = Ocr()

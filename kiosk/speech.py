"""Spoken guidance: a page's words made into a WAV file by Debian's espeak-ng, on this server,
kept on disk under the instance folder by a hash of the voice and the text."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess  # nosec B404: espeak-ng is run with a fixed argument list, never a shell
import tempfile
from pathlib import Path

VOICES = {"id": "id", "en": "en"}
# A page's question, help and choices; anything longer is cut rather than read for minutes.
MAX_CHARACTERS = 4000


class SpeechUnavailable(Exception):
    """The speech engine is not installed or failed: the kiosk says so instead."""


class SpeechCache:
    """WAV files of spoken text, made once per (voice, text) and then read from disk."""

    def __init__(self, directory: Path, engine: str = "espeak-ng") -> None:
        self.directory = directory
        self.engine = engine

    def available(self) -> bool:
        return shutil.which(self.engine) is not None

    def path_for(self, text: str, language: str) -> Path:
        voice = VOICES["en" if language == "en" else "id"]
        digest = hashlib.sha256(f"{voice}\0{text[:MAX_CHARACTERS]}".encode()).hexdigest()
        return self.directory / f"{digest}.wav"

    def audio_for(self, text: str, language: str) -> Path:
        """The WAV file speaking ``text`` in ``language``, made now if it is not cached."""
        target = self.path_for(text, language)
        if target.exists():
            return target
        engine = shutil.which(self.engine)
        if engine is None:
            raise SpeechUnavailable(self.engine)
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        voice = VOICES["en" if language == "en" else "id"]
        handle, partial = tempfile.mkstemp(suffix=".wav", dir=self.directory)
        os.close(handle)
        try:
            # The text goes on standard input, so nothing in it can be read as an option.
            subprocess.run([engine, "-v", voice, "-s", "150", "-w", partial, "--stdin"],  # nosec B603
                           input=text[:MAX_CHARACTERS].encode(), check=True, timeout=30,
                           capture_output=True)
            if os.path.getsize(partial) <= 44:  # a WAV header and no sound
                raise SpeechUnavailable("no audio")
            os.replace(partial, target)  # whole files only, even with two workers at once
        except (OSError, subprocess.SubprocessError) as failed:
            raise SpeechUnavailable(str(failed)) from failed
        finally:
            if os.path.exists(partial):
                os.unlink(partial)
        return target


# Smaller files for the hall's displays, by the first encoder installed (Debian's opus-tools,
# then lame); the WAV itself when neither is.
ENCODERS = (
    ("opusenc", ".opus", "audio/ogg", ["--quiet", "--bitrate", "24"]),
    ("lame", ".mp3", "audio/mpeg", ["--quiet", "-b", "48"]),
)


def compressed(wav: Path) -> tuple[Path, str]:
    """The WAV encoded beside it (made once), and its type; the WAV if no encoder works."""
    for engine, suffix, mimetype, options in ENCODERS:
        target = wav.with_suffix(suffix)
        if target.exists():
            return target, mimetype
        program = shutil.which(engine)
        if program is None:
            continue
        handle, partial = tempfile.mkstemp(suffix=suffix, dir=wav.parent)
        os.close(handle)
        try:
            subprocess.run([program, *options, str(wav), partial],  # nosec B603
                           check=True, timeout=30, capture_output=True)
            os.replace(partial, target)
            return target, mimetype
        except (OSError, subprocess.SubprocessError):
            continue
        finally:
            if os.path.exists(partial):
                os.unlink(partial)
    return wav, "audio/wav"

"""Spoken calls: "Mời công dân có số thứ tự A 12 đến quầy số 5", synthesised offline by
espeak-ng's Vietnamese voice (or an operator's command: a Piper voice, recorded clips), once
per text and voice, and kept in the database (SpeechClip) so every board and every process
reads the same clip (capabilities §5.3: 42 ms for 4.8 s of audio).

MOTCUA_SPEECH_COMMAND overrides the command: it receives the text on standard input and
writes a WAV file on standard output (e.g. `piper --model vi_VN-vais1000-medium.onnx
--output_file -`). Without espeak-ng and without a command, calls are shown, not spoken.
"""

import hashlib
import shlex
import shutil
import subprocess

from django.db import IntegrityError, transaction

from . import conf
from .models import SpeechClip

TIMEOUT = 20


def call_text(display_code: str, counter_number: int) -> str:
    """The words of a call. The letter and the number are said apart ("A 12"), so that the
    number is read as a number, not digit by digit."""
    prefix = display_code.rstrip("0123456789")
    number = int(display_code[len(prefix) :])
    return f"Mời công dân có số thứ tự {prefix} {number} đến quầy số {counter_number}"


def _command(voice: str) -> list[str] | None:
    custom = conf.speech_command()
    if custom:
        return shlex.split(custom)
    program = shutil.which("espeak-ng")
    if program is None:
        return None
    return [program, "-v", voice, "-s", "140", "--stdin", "--stdout"]


def is_available() -> bool:
    return _command("vi") is not None


def clip_key(text: str, voice: str) -> str:
    command = conf.speech_command() or "espeak-ng"
    return hashlib.sha256(f"{command}\n{voice}\n{text}".encode()).hexdigest()


def clip(text: str, voice: str = "vi") -> bytes | None:
    """The WAV of `text`, from the cache or synthesised now; None without a synthesiser."""
    key = clip_key(text, voice)
    cached = SpeechClip.objects.filter(key=key).values_list("audio", flat=True).first()
    if cached is not None:
        return bytes(cached)
    audio = synthesise(text, voice)
    if audio is None:
        return None
    try:
        with transaction.atomic():
            SpeechClip.objects.create(key=key, text=text[:500], audio=audio)
    except IntegrityError:  # another board asked for it at the same moment
        pass
    return audio


def synthesise(text: str, voice: str) -> bytes | None:
    command = _command(voice)
    if command is None:
        return None
    done = subprocess.run(
        command, input=text.encode(), capture_output=True, timeout=TIMEOUT, check=False
    )
    if done.returncode != 0 or not done.stdout.startswith(b"RIFF"):
        return None
    return done.stdout

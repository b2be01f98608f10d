"""Run a command in a real pseudo-terminal and answer its prompts, as a person would.

Usage: run_in_pty.py CWD SCRIPT CMD...
SCRIPT is a JSON list of steps, each [EXPECT, SEND]: wait until the output,
after where the previous step matched, contains EXPECT (ANSI codes left out),
then type SEND (key names below, or text). When every step is done, read until
the command exits. Prints the output (ANSI codes left out), then a final line
"exit=N", or "timeout waiting for: EXPECT" and "exit=timeout".

Keys: <enter> <up> <down> <space> <ctrl-c> <backspace> <tab>; anything else is
typed as it is, a character at a time.
"""
import json
import os
import pty
import re
import select
import signal
import sys
import time

ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]")
KEYS = {
    "<enter>": b"\r",
    "<up>": b"\x1b[A",
    "<down>": b"\x1b[B",
    "<space>": b" ",
    "<ctrl-c>": b"\x03",
    "<backspace>": b"\x7f",
    "<tab>": b"\t",
}
TOKEN = re.compile(r"(<[a-z-]+>)")

cwd, script, *cmd = sys.argv[1:]
steps = json.loads(script)
pid, fd = pty.fork()
if pid == 0:
    os.chdir(cwd)
    os.environ["COLUMNS"] = "200"
    os.execvp(cmd[0], cmd)

# A wide terminal, so that prompts are not wrapped.
try:
    import fcntl
    import struct
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
except Exception:
    pass

raw = b""
seen = 0  # where the next step's EXPECT is looked for, in the plain output
deadline = time.time() + 60


def plain() -> str:
    return ANSI.sub(b"", raw).decode(errors="replace")


def read_some(timeout: float) -> bool:
    global raw
    ready, _, _ = select.select([fd], [], [], timeout)
    if not ready:
        return True
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        return False
    if not chunk:
        return False
    raw += chunk
    return True


def type_keys(send: str) -> None:
    for part in TOKEN.split(send):
        if part == "":
            continue
        if part in KEYS:
            os.write(fd, KEYS[part])
            time.sleep(0.03)
        else:
            for ch in part:
                os.write(fd, ch.encode())
                time.sleep(0.005)


alive = True
for expect, send in steps:
    while True:
        text = plain()
        at = text.find(expect, seen)
        if at != -1:
            seen = at + len(expect)
            break
        if not alive or time.time() > deadline:
            if alive:
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            sys.stdout.write(plain())
            sys.stdout.write("\ntimeout waiting for: %s\nexit=timeout\n" % expect)
            sys.exit(0)
        alive = read_some(0.1)
    # Let the prompt finish drawing and start reading keys.
    end = time.time() + 0.08
    while alive and time.time() < end:
        alive = read_some(0.02)
    type_keys(send)

while alive and time.time() < deadline:
    alive = read_some(0.2)
if alive:
    os.kill(pid, signal.SIGKILL)
_, status = os.waitpid(pid, 0)
sys.stdout.write(plain())
sys.stdout.write("\nexit=%d\n" % (os.waitstatus_to_exitcode(status)))

"""Run a command in a real pseudo-terminal, answer it, report its exit code.

Usage: run_in_pty.py CWD EXPECT SEND [CMD...]
Waits until the output contains EXPECT, writes SEND (Python escapes, e.g.
"\\x03" for Ctrl-C), then reads until the command exits. Prints the output,
then a final line "exit=N". Gives up after 30 seconds.
"""
import os
import pty
import select
import sys
import time

cwd, expect, send, *cmd = sys.argv[1:]
send = send.encode().decode("unicode_escape").encode()
pid, fd = pty.fork()
if pid == 0:
    os.chdir(cwd)
    os.execvp(cmd[0], cmd)

out = b""
sent = False
deadline = time.time() + 30
while time.time() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.2)
    if ready:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    if not sent and expect.encode() in out:
        os.write(fd, send)
        sent = True
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
sys.stdout.write("\nexit=%d\n" % (os.waitstatus_to_exitcode(status)))

#!/usr/bin/env python3
"""smtp_sink.py - a small SMTP server for the tests (standard library only).

Listens on 127.0.0.1 (loopback only), takes every message and writes it to
DIR/NNNN.json as {"from": ..., "to": [...], "data": "..."} (data un-dot-stuffed,
CR LF kept), then DIR/NNNN.done, so that a reader never sees half a file.
Speaks what itss's sender needs: EHLO/HELO, MAIL FROM, RCPT TO, DATA, RSET,
NOOP, QUIT. A recipient matching --reject (a substring) is refused with 550.

  smtp_sink.py --dir DIR [--port N] [--port-file FILE] [--lifetime SECONDS]
               [--reject TEXT]

--port 0 (the default) picks a free port and writes it to --port-file. The sink
exits by itself after --lifetime seconds (default 120): a test that forgets it
leaves nothing running.
"""
import argparse
import asyncio
import json
import os
import sys


class Session:
    def __init__(self, reader, writer, args, counter):
        self.reader, self.writer, self.args, self.counter = reader, writer, args, counter
        self.reset()

    def reset(self):
        self.mail_from, self.rcpt = None, []

    async def reply(self, line):
        self.writer.write((line + "\r\n").encode())
        await self.writer.drain()

    async def data(self):
        lines = []
        while True:
            raw = await self.reader.readline()
            if not raw:
                return None
            if raw in (b".\r\n", b".\n"):
                break
            if raw.startswith(b"."):
                raw = raw[1:]          # dot-stuffing undone (RFC 5321 4.5.2)
            lines.append(raw)
        return b"".join(lines)

    def save(self, data):
        self.counter[0] += 1
        n = self.counter[0]
        path = os.path.join(self.args.dir, "%04d" % n)
        with open(path + ".json", "w", encoding="utf-8") as f:
            json.dump({"from": self.mail_from, "to": self.rcpt,
                       "data": data.decode("utf-8", "replace")}, f, ensure_ascii=False)
        open(path + ".done", "w").close()

    async def run(self):
        await self.reply("220 sink.test ESMTP smtp_sink.py")
        while True:
            raw = await self.reader.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line[:4].upper()
            if verb == "EHLO":
                await self.reply("250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8")
            elif verb == "HELO":
                await self.reply("250 sink.test")
            elif line.upper().startswith("MAIL FROM:"):
                self.reset()
                self.mail_from = line[10:].strip().strip("<>")
                await self.reply("250 2.1.0 ok")
            elif line.upper().startswith("RCPT TO:"):
                to = line[8:].strip().strip("<>")
                if self.mail_from is None:
                    await self.reply("503 5.5.1 MAIL first")
                elif self.args.reject and self.args.reject in to:
                    await self.reply("550 5.1.1 <%s>: no such user here" % to)
                else:
                    self.rcpt.append(to)
                    await self.reply("250 2.1.5 ok")
            elif verb == "DATA":
                if not self.rcpt:
                    await self.reply("503 5.5.1 RCPT first")
                    continue
                await self.reply("354 end with <CRLF>.<CRLF>")
                data = await self.data()
                if data is None:
                    return
                self.save(data)
                self.reset()
                await self.reply("250 2.0.0 queued as %d" % self.counter[0])
            elif verb == "RSET":
                self.reset()
                await self.reply("250 2.0.0 ok")
            elif verb == "NOOP":
                await self.reply("250 2.0.0 ok")
            elif verb == "QUIT":
                await self.reply("221 2.0.0 bye")
                return
            else:
                await self.reply("502 5.5.2 not implemented")


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file")
    p.add_argument("--lifetime", type=float, default=120)
    p.add_argument("--reject")
    args = p.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    # numbering goes on after the messages a sink before this one left in DIR
    counter = [len([f for f in os.listdir(args.dir) if f.endswith(".done")])]

    async def handle(reader, writer):
        try:
            await Session(reader, writer, args, counter).run()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", args.port)
    port = server.sockets[0].getsockname()[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.rename(tmp, args.port_file)
    async with server:
        try:
            await asyncio.wait_for(server.serve_forever(), timeout=args.lifetime)
        except asyncio.TimeoutError:
            pass


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)

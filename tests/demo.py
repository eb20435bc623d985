# SPDX-License-Identifier: MIT
"""`make demo`: a throwaway Dovecot with sample mail, relance run over it as the days go by.

Everything lives under .demo/ and the Dovecot started here is stopped at the end.
"""

from __future__ import annotations

import email
import email.policy
import shutil
import subprocess
import sys
from pathlib import Path

import icalendar
import yaml

from tests.harness.dovecot import Dovecot, start_dovecot

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "data" / "samples"
DEMO = ROOT / ".demo"

# The samples' interviews: 3 Dec (Acme), 8 Dec (Globex), 18 Dec (Initech).
STEPS = (
    ("2026-12-01T12:00:00+01:00", "the mail has arrived"),
    ("2026-12-04T10:00:00+01:00", "J+1 of the Acme interview"),
    ("2026-12-09T10:00:00+01:00", "J+1 of the Globex interview"),
    ("2026-12-19T10:00:00+01:00", "J+1 of the Initech interview"),
    ("2026-12-28T18:00:00+01:00", "J+7 of Initech (Christmas moved the call to Monday)"),
)


def heading(text: str) -> None:
    print(f"\n\033[1m== {text}\033[0m" if sys.stdout.isatty() else f"\n== {text}", flush=True)


def relance(config: Path, *args: str) -> str:
    command = [sys.executable, "-m", "daemon", "--config", str(config), *args]
    print("$ relance " + " ".join(args), flush=True)
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"relance {' '.join(args)} failed with exit code {done.returncode}")
    return done.stdout


def write_config(server: Dovecot) -> Path:
    DEMO.mkdir(exist_ok=True)
    secret = DEMO / "imap-password"
    secret.write_text(server.password + "\n", encoding="utf-8")
    secret.chmod(0o600)
    config = {
        "imap": {"host": server.host, "port": server.tls_port, "security": "tls", "ca_file": str(server.ca_file),
                 "username": server.user, "password_file": str(secret), "idle": False},
        "identity": {"name": "Alice Martin", "email": "alice@example.org", "phone": "+33 6 99 00 11 22",
                     "key_skills": ["SQL", "modélisation financière", "Python"]},
        "language": "fr",
        "timezone": "Europe/Paris",
        "storage": {"path": str(DEMO / "relance.db")},
        "calendar": {"path": str(DEMO / "relance.ics")},
    }
    path = DEMO / "config.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def show_drafts(server: Dovecot) -> None:
    for _uid, flags, raw in server.messages("Drafts"):
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(msg, email.message.EmailMessage)
        body = msg.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
        print(f"From:    {msg['From']}\nTo:      {msg['To']}\nSubject: {msg['Subject']}\n"
              f"Flags:   {' '.join(flags)}")
        for line in text.strip().splitlines()[:8]:
            print(f"  | {line}")
        print()


def show_calendar(path: Path) -> None:
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    for event in sorted(cal.walk("VEVENT"), key=lambda e: e.decoded("DTSTART")):
        start = event.decoded("DTSTART")
        print(f"{start:%a %Y-%m-%d %H:%M %Z}  {event['SUMMARY']}")
        if str(event["SUMMARY"]).startswith(("Appeler", "Call")):
            for line in str(event["DESCRIPTION"]).splitlines()[:3]:
                print(f"      {line}")


def main() -> None:
    if DEMO.exists():
        shutil.rmtree(DEMO)
    DEMO.mkdir()
    heading("starting a throwaway Dovecot on 127.0.0.1")
    with start_dovecot(DEMO / "dovecot") as server:
        print(f"IMAP on 127.0.0.1:{server.port} (plain) and :{server.tls_port} (TLS, self-signed CA)")
        config = write_config(server)
        heading("seeding INBOX")
        for sample in sorted(SAMPLES.glob("*.eml")):
            server.append("INBOX", sample.read_bytes())
            print(f"  {sample.name}")
        for now, what in STEPS:
            heading(f"{now}: {what}")
            relance(config, "run", "--once", "--now", now)
            print(relance(config, "list"), end="")
        heading("the Drafts folder")
        show_drafts(server)
        heading("the calendar file (.demo/relance.ics)")
        show_calendar(DEMO / "relance.ics")
        heading("stopping Dovecot")
    print("done; the files are in .demo/")


if __name__ == "__main__":
    main()

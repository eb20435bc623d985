# SPDX-License-Identifier: MIT
"""What a throwaway Dovecot runs with: the accounts it may use (root or not), a self-signed
certificate, and its dovecot.conf (plain and TLS listeners, special-use folders, a passwd file)."""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.harness.dovecot import Dovecot

HOST = "127.0.0.1"
# the \Sent folder has a localised name, so every test finds it by its flag
SENT_FOLDER = "Éléments envoyés"


class DovecotError(RuntimeError):
    """Dovecot is missing, or would not start or stop."""


@dataclass(frozen=True)
class Accounts:
    """Which system users the Dovecot processes and the mail files run as."""

    internal_user: str
    internal_group: str
    login_user: str
    mail_uid: int
    mail_gid: int
    as_root: bool


def find_accounts() -> Accounts:
    if os.geteuid() != 0:
        # Unprivileged Dovecot cannot switch users: every service runs as us.
        me = pwd.getpwuid(os.geteuid())
        group = grp.getgrgid(os.getegid()).gr_name
        return Accounts(me.pw_name, group, me.pw_name, me.pw_uid, os.getegid(), as_root=False)
    try:
        internal = pwd.getpwnam("dovecot")
        pwd.getpwnam("dovenull")
    except KeyError as exc:
        missing = "the dovecot and dovenull system users are missing; reinstall dovecot-core"
        raise DovecotError(missing) from exc
    # Dovecot refuses uid 0 for mail, so the maildir belongs to an unprivileged user.
    try:
        mail = pwd.getpwnam("nobody")
    except KeyError:
        mail = internal
    return Accounts(
        internal_user="dovecot",
        internal_group=grp.getgrgid(internal.pw_gid).gr_name,
        login_user="dovenull",
        mail_uid=mail.pw_uid,
        mail_gid=mail.pw_gid,
        as_root=True,
    )


def make_certificate(cert: Path, key: Path) -> None:
    if shutil.which("openssl"):
        _openssl_certificate(cert, key)
    else:
        _cryptography_certificate(cert, key)
    key.chmod(0o600)


_OPENSSL_CONFIG = """\
[req]
prompt = no
distinguished_name = dn
x509_extensions = ext
[dn]
CN = localhost
[ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, digitalSignature, keyCertSign
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
"""


def _openssl_certificate(cert: Path, key: Path) -> None:
    # Our own config rather than the system openssl.cnf, so the extensions are
    # the same everywhere; they satisfy Python 3.13's VERIFY_X509_STRICT.
    config = cert.with_name("openssl.cnf")
    config.write_text(_OPENSSL_CONFIG)
    command = [
        "openssl", "req", "-x509", "-new", "-nodes", "-days", "30",
        "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-config", str(config), "-keyout", str(key), "-out", str(cert),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        raise DovecotError(f"openssl could not make a certificate: {done.stderr.strip()}")


def _cryptography_certificate(cert: Path, key: Path) -> None:
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    except ImportError as exc:
        needed = "need the openssl command or the cryptography package to make a certificate"
        raise DovecotError(needed) from exc
    import ipaddress
    from datetime import timedelta

    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    public = private.public_key()
    usage = x509.KeyUsage(True, False, False, False, False, True, False, False, False)
    alt_names = [x509.IPAddress(ipaddress.ip_address(HOST)), x509.DNSName("localhost")]
    built = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(private, hashes.SHA256())
    )
    cert.write_bytes(built.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )


def render_conf(server: Dovecot, accounts: Accounts) -> str:
    mail_root = server.workdir / "mail"
    if accounts.as_root:
        # "/./" makes the mail process chroot into mail_root before dropping to
        # the mail user, so the workdir's parents (pytest's 0700 tmp dirs) need
        # not be readable by that user.
        home = f"{mail_root}/./%u"
        privileged = f"""\
valid_chroot_dirs = {mail_root}
# The passwd file may sit below directories only root can enter.
service auth {{
  user = root
}}
"""
    else:
        home = f"{mail_root}/%u"
        # Only root can chroot; anvil_chroot does the same for anvil below.
        privileged = """\
service imap-login {
  chroot =
}
"""
    anvil_chroot = "" if accounts.as_root else "  chroot =\n"
    return f"""\
# Written by tests/harness/dovecot.py for one throwaway instance; see that file.
base_dir = {server.base_dir}
state_dir = {server.workdir / "state"}
log_path = {server.log_path}
log_timestamp = "%Y-%m-%d %H:%M:%S "
auth_verbose = yes

protocols = imap
listen = {server.host}
ssl = yes
ssl_cert = <{server.ca_file}
ssl_key = <{server.key_file}
# The plain listener must take LOGIN without STARTTLS, like the servers the daemon meets.
disable_plaintext_auth = no
auth_mechanisms = plain login
# Tests try wrong passwords on purpose and should not wait for it.
auth_failure_delay = 0

default_internal_user = {accounts.internal_user}
default_internal_group = {accounts.internal_group}
default_login_user = {accounts.login_user}
first_valid_uid = {accounts.mail_uid}
last_valid_uid = {accounts.mail_uid}
first_valid_gid = {accounts.mail_gid}
last_valid_gid = {accounts.mail_gid}
{privileged}
mail_location = maildir:~/Maildir
# Throwaway data: seeding benchmarks should not pay for fsync.
mail_fsync = never
# Push changes to IDLE clients quickly even where inotify is missing.
mailbox_idle_check_interval = 1 secs

protocol imap {{
  # The daemon, the tests and the helpers may all be connected at once.
  mail_max_userip_connections = 100
}}

# After a failed login anvil delays every further login from the same IP by
# 2 s and more; tests log in from 127.0.0.1 all the time. mode 0 turns it off.
service anvil {{
{anvil_chroot}  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}

passdb {{
  driver = passwd-file
  args = {server.workdir / "passwd"}
}}
userdb {{
  driver = static
  args = uid={accounts.mail_uid} gid={accounts.mail_gid} home={home}
}}

namespace inbox {{
  inbox = yes
  # Gmail's separator, so folder paths like "Jobs/Acme" mean the same there.
  separator = /
  mailbox Drafts {{
    special_use = \\Drafts
    auto = subscribe
  }}
  mailbox "{SENT_FOLDER}" {{
    special_use = \\Sent
    auto = subscribe
  }}
  mailbox Trash {{
    special_use = \\Trash
    auto = subscribe
  }}
}}

service imap-login {{
  inet_listener imap {{
    port = {server.port}
  }}
  inet_listener imaps {{
    port = {server.tls_port}
    ssl = yes
  }}
}}
"""

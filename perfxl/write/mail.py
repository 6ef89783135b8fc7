"""E-mail the summary workbook (汇总表.xlsx) with a short Chinese body.

Built on the standard library only. The message is built once and either
sent or written as an .eml file (``--dry-run``), so what is previewed is what
is sent. Sending is all or nothing: every recipient is accepted by the server
before the message data goes out, otherwise the transaction is reset and
nobody receives it. Every failure becomes one :class:`MailError` with a
one-line Chinese message the CLI can print as it is.
"""

from __future__ import annotations

import base64
import mimetypes
import os
import re
import smtplib
import socket
import ssl
from collections.abc import Iterable, Mapping
from copy import deepcopy
from dataclasses import dataclass, field
from email import encoders
from email.message import EmailMessage
from email.mime.base import MIMEBase
from email.policy import SMTP
from email.utils import formatdate, getaddresses, make_msgid, parseaddr
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from perfxl.write.atomic import atomic_write_bytes
from perfxl.write.mail_body import (  # noqa: F401 - the mail's public names, in one place
    DEFAULT_SUBJECT,
    PROBLEM_HEADERS,
    PROJECT_HEADERS,
    Signature,
    default_subject,
    read_summary_frames,
    summary_body,
)

# headers the modern policy builds fold themselves; the attachment's, written
# pre-folded below in both encodings, must be sent as they are, not re-parsed
MAIL_POLICY = SMTP.clone(refold_source="none")
TLS_MODES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
# one address: something@domain, no spaces, brackets or separators (so "领导" or
# "a@b, c" is refused before anything is built)
_ADDRESS = re.compile(r"[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+")


class MailError(Exception):
    """Building or sending the mail failed; the message is Chinese and one line."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split()))


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send. The password never appears in repr or logs."""

    host: str = ""
    port: int = 0  # 0: the usual port of the TLS mode
    user: str = ""
    password: str = field(default="", repr=False)
    tls: Literal["starttls", "ssl", "none"] = "starttls"
    timeout: float = 10.0
    sender: str = ""  # From address; the user name when empty

    def __post_init__(self) -> None:
        if self.tls not in TLS_MODES:
            raise MailError(f"加密方式 {self.tls!r} 无效，应为 starttls、ssl 或 none")
        if not 0 <= self.port <= 65535:
            raise MailError(f"端口 {self.port} 无效，应为 1–65535")

    @property
    def effective_port(self) -> int:
        return self.port or DEFAULT_PORTS[self.tls]

    @property
    def from_address(self) -> str:
        return self.sender or self.user

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ, **overrides: object) -> SmtpSettings:
        """Settings from ``PERFXL_SMTP_*`` variables; non-None overrides (CLI options) win."""
        raw_port = env.get("PERFXL_SMTP_PORT", "").strip()
        try:
            port = int(raw_port) if raw_port else 0
        except ValueError:
            raise MailError(f"PERFXL_SMTP_PORT 应为整数，实际为 {raw_port!r}") from None
        values: dict[str, object] = {
            "host": env.get("PERFXL_SMTP_HOST", "").strip(),
            "port": port,
            "user": env.get("PERFXL_SMTP_USER", "").strip(),
            "password": env.get("PERFXL_SMTP_PASSWORD", ""),
            "tls": env.get("PERFXL_SMTP_TLS", "").strip().lower() or "starttls",
            "sender": env.get("PERFXL_SMTP_FROM", "").strip(),
        }
        unknown = set(overrides) - set(cls.__dataclass_fields__)
        if unknown:
            raise TypeError(f"unknown SMTP settings: {sorted(unknown)}")
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


# ---------------------------------------------------------------- message


def check_addresses(addresses: Iterable[str], what: str = "收件人") -> list[str]:
    """The addresses as given ("a@b.org" or "张三 <a@b.org>"), or a MailError
    naming the first that is not an e-mail address."""
    out = []
    for raw in addresses:
        text = raw.strip()
        if not text:
            continue
        name, addr = parseaddr(text)
        if not _ADDRESS.fullmatch(addr) or (not name and addr != text.strip("<>")):
            raise MailError(f"{what}地址无效：{text}（应为邮箱地址，如 name@example.org）")
        out.append(text)
    return out


def attachment_part(data: bytes, filename: str, maintype: str, subtype: str) -> MIMEBase:
    """The attachment with its name in both encodings mail clients read.

    RFC 2231 (``filename*=utf-8''%E6…``) is what current clients read; older
    ones (Outlook 2007, some webmail and Foxmail versions) only read an RFC 2047
    encoded word in ``name=`` / ``filename=``. A client that knows both takes
    the RFC 2231 one. The headers are written here, pre-folded, in the compat32
    form the generator keeps as it is (the modern policy would keep only one).
    """
    words = _encoded_words(filename)
    part = MIMEBase(maintype, subtype)
    del part["Content-Type"]
    part["Content-Type"] = f'{maintype}/{subtype};\n name="{words}"'
    part.set_payload(data)
    encoders.encode_base64(part)
    chunks = _rfc2231_chunks(filename)
    if len(chunks) == 1:
        star = f"filename*=utf-8''{chunks[0]}"
    else:
        charset = ["utf-8''"] + [""] * (len(chunks) - 1)
        star = ";\n ".join(
            f"filename*{i}*={cs}{c}" for i, (cs, c) in enumerate(zip(charset, chunks, strict=True))
        )
    part["Content-Disposition"] = f'attachment;\n filename="{words}";\n {star}'
    return part


def _encoded_words(text: str, size: int = 12) -> str:
    """RFC 2047 B-words of at most ``size`` characters each (≤ 75 octets a word)."""
    pieces = [text[i : i + size] for i in range(0, len(text), size)] or [""]
    return "\n ".join(
        f"=?utf-8?b?{base64.b64encode(p.encode('utf-8')).decode('ascii')}?=" for p in pieces
    )


def _rfc2231_chunks(text: str, size: int = 60) -> list[str]:
    """Percent-encoded pieces of at most ``size`` octets, never splitting a character."""
    chunks, current = [], ""
    for ch in text:
        enc = quote(ch, safe="")
        if len(current) + len(enc) > size:
            chunks.append(current)
            current = ""
        current += enc
    return [*chunks, current] if current or not chunks else chunks


def build_message(
    attachment: Path,
    *,
    sender: str,
    to: list[str],
    cc: Iterable[str] = (),
    subject: str | None = None,
    body: str,
    date: str | None = None,
) -> EmailMessage:
    """The message with the workbook attached; Chinese names encoded per RFC 2047/2231.

    ``date``: an RFC 2822 date for the Date header (default: now); fixed in
    tests so the same input gives the same .eml.
    """
    attachment = Path(attachment)
    recipients = check_addresses(to)
    copies = check_addresses(cc, "抄送")
    if not recipients:
        raise MailError("未指定收件人")
    if not parseaddr(sender)[1]:
        raise MailError("未指定发件人（PERFXL_SMTP_FROM 或 PERFXL_SMTP_USER）")
    try:
        data = attachment.read_bytes()
    except OSError as exc:
        raise MailError(f"无法读取附件 {attachment.name}：{exc.strerror or exc}") from None
    message = EmailMessage(policy=MAIL_POLICY)
    try:
        message["From"] = sender
        message["To"] = ", ".join(recipients)
        if copies:
            message["Cc"] = ", ".join(copies)
        message["Subject"] = " ".join((subject or DEFAULT_SUBJECT).split())
    except (ValueError, IndexError) as exc:  # malformed address or header injection
        raise MailError(f"邮件地址或主题无效：{exc}") from None
    message["Date"] = date or formatdate(localtime=True)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "perfxl.invalid"
    message["Message-ID"] = make_msgid(domain=domain)  # explicit domain: no DNS lookup
    message.set_content(body, cte="base64")  # Chinese text survives any relay
    if attachment.suffix.lower() == ".xlsx":
        maintype, subtype = XLSX_TYPE
    else:
        guessed = mimetypes.guess_type(attachment.name)[0] or "application/octet-stream"
        maintype, subtype = guessed.split("/", 1)
    message.make_mixed()
    message.attach(attachment_part(data, attachment.name, maintype, subtype))
    return message


def write_eml(message: EmailMessage, path: Path) -> None:
    """Write the message as an .eml file (CRLF line ends), atomically."""
    atomic_write_bytes(Path(path), message.as_bytes(policy=MAIL_POLICY))


# ---------------------------------------------------------------- sending


def send(message: EmailMessage, settings: SmtpSettings) -> None:
    """Send to every To/Cc/Bcc address in one SMTP transaction, or to nobody."""
    if not settings.host:
        raise MailError("未设置邮件服务器：请设置 PERFXL_SMTP_HOST 或使用 --smtp-host")
    sender = parseaddr(message.get("From", ""))[1] or settings.from_address
    fields = [str(v) for k in ("To", "Cc", "Bcc") for v in message.get_all(k, [])]
    recipients = list(dict.fromkeys(addr for _, addr in getaddresses(fields) if addr))
    if not recipients:
        raise MailError("未指定收件人")
    if not all(a.isascii() for a in [sender, *recipients]):
        raise MailError("邮件地址中含有非 ASCII 字符，请使用英文邮件地址")
    bcc = message.get_all("Bcc")
    if bcc:  # never transmit Bcc to the recipients
        message = _copy_without(message, "Bcc")
    data = message.as_bytes(policy=MAIL_POLICY)
    where = f"{settings.host}:{settings.effective_port}"
    connected = False
    try:
        context = ssl.create_default_context()
        if settings.tls == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.effective_port, timeout=settings.timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(settings.host, settings.effective_port, timeout=settings.timeout)
        connected = True
        with smtp:
            smtp.ehlo_or_helo_if_needed()
            if settings.tls == "starttls":
                if not smtp.has_extn("starttls"):
                    raise MailError(
                        f"邮件服务器 {where} 不支持 STARTTLS，请改用 ssl 或 none 加密方式"
                    )
                smtp.starttls(context=context)
                smtp.ehlo()
            if settings.user:
                smtp.login(settings.user, settings.password)
            _transaction(smtp, sender, recipients, data)
    except MailError:
        raise
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(
            f"登录被拒绝：用户名或密码错误（{_reply(exc.smtp_code, exc.smtp_error)}）"
        ) from None
    except smtplib.SMTPNotSupportedError as exc:
        raise MailError(
            f"邮件服务器 {where} 不支持所需功能（{exc}），请检查加密方式和登录设置"
        ) from None
    except smtplib.SMTPResponseException as exc:
        raise MailError(f"邮件服务器拒绝发送（{_reply(exc.smtp_code, exc.smtp_error)}）") from None
    except smtplib.SMTPException as exc:
        raise MailError(f"发送邮件失败：{exc}") from None
    except ssl.SSLError as exc:
        raise MailError(
            f"与邮件服务器 {where} 的 TLS 握手失败（{exc.reason or exc}），请检查加密方式和端口"
        ) from None
    except TimeoutError:
        if connected:
            raise MailError(f"邮件服务器 {where} 响应超时，邮件可能未发送") from None
        raise MailError(f"无法连接邮件服务器 {where}（连接超时）") from None
    except UnicodeError:  # smtplib encodes AUTH credentials as ASCII
        raise MailError("用户名或密码中含有非 ASCII 字符，无法登录邮件服务器") from None
    except OSError as exc:
        if connected:
            raise MailError(f"与邮件服务器 {where} 的连接中断（{exc.strerror or exc}）") from None
        raise MailError(f"无法连接邮件服务器 {where}（{_why(exc)}）") from None


def _transaction(smtp: smtplib.SMTP, sender: str, recipients: list[str], data: bytes) -> None:
    """MAIL, every RCPT, then DATA only when all recipients were accepted.

    smtplib's ``sendmail`` delivers to the accepted recipients and merely
    reports the refused ones; a partial send is worse than none here, because
    a re-send would duplicate the mail for those who got it.
    """
    options = [f"SIZE={len(data)}"] if smtp.has_extn("size") else []
    code, reply = smtp.mail(sender, options)
    if code != 250:
        smtp.rset()
        raise MailError(f"服务器拒绝发件人 {sender}（{_reply(code, reply)}）")
    refused = []
    for address in recipients:
        code, reply = smtp.rcpt(address)
        if code not in (250, 251):
            refused.append(f"{address}（{_reply(code, reply)}）")
    if refused:
        smtp.rset()
        raise MailError(f"服务器拒绝收件人：{'；'.join(refused)}，邮件未发送给任何人")
    code, reply = smtp.data(data)
    if code != 250:
        smtp.rset()
        raise MailError(f"服务器拒绝邮件内容（{_reply(code, reply)}）")


def _why(exc: OSError) -> str:
    """A connection failure in words a user can act on."""
    if isinstance(exc, ConnectionRefusedError):
        return "连接被拒绝，请检查服务器地址和端口"
    if isinstance(exc, socket.gaierror):
        return "无法解析服务器地址"
    return str(exc.strerror or exc)


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(text.split())}".strip()


def _copy_without(message: EmailMessage, header: str) -> EmailMessage:
    clone = deepcopy(message)
    del clone[header]
    return clone

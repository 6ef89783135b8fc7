"""E-mail the summary workbook (汇总表.xlsx) with a short Chinese body.

Built on the standard library only. The message is built once and either
sent or written as an .eml file (``--dry-run``), so what is previewed is what
is sent. Sending is all or nothing: every recipient is accepted by the server
before the message data goes out, otherwise the transaction is reset and
nobody receives it. Every failure becomes one :class:`MailError` with a
one-line Chinese message the CLI can print as it is.
"""

from __future__ import annotations

import mimetypes
import os
import re
import smtplib
import socket
import ssl
from collections.abc import Iterable, Mapping
from copy import deepcopy
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, getaddresses, make_msgid, parseaddr
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from perfxl.write.atomic import atomic_write_bytes

if TYPE_CHECKING:  # pandas costs ~370 ms to import: only when a frame is needed
    import pandas as pd

DEFAULT_SUBJECT = "项目支出绩效自评汇总表"
TLS_MODES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
GRADES = ("优", "良", "中", "差")
MAX_LISTED_PROBLEMS = 10
PROJECT_HEADERS = ("序号", "年度", "主管部门", "实施单位", "项目名称", "复核总分", "自评等级")
PROJECT_HEADERS += ("错误数", "警告数", "源文件")
PROBLEM_HEADERS = ("源文件", "工作表", "单元格", "级别", "代码", "说明")


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
    recipients = [a for a in to if a.strip()]
    copies = [a for a in cc if a.strip()]
    if not recipients:
        raise MailError("未指定收件人")
    if not parseaddr(sender)[1]:
        raise MailError("未指定发件人（PERFXL_SMTP_FROM 或 PERFXL_SMTP_USER）")
    try:
        data = attachment.read_bytes()
    except OSError as exc:
        raise MailError(f"无法读取附件 {attachment.name}：{exc.strerror or exc}") from None
    message = EmailMessage(policy=SMTP)
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
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=attachment.name)
    return message


def write_eml(message: EmailMessage, path: Path) -> None:
    """Write the message as an .eml file (CRLF line ends), atomically."""
    atomic_write_bytes(Path(path), message.as_bytes(policy=SMTP))


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
    data = message.as_bytes(policy=SMTP)
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


# ---------------------------------------------------------------- body


def read_summary_frames(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The 汇总 and 问题清单 sheets of a 汇总表.xlsx, as written by perfxl.

    The totals row (合计) is dropped so counts are per project; a missing
    sheet gives an empty frame with the expected headers.
    """
    import pandas as pd
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets = {
            name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in ("汇总", "问题清单")
            if name in workbook.sheet_names
        }
    except (CalamineError, OSError, ValueError) as exc:
        raise MailError(f"无法读取汇总表 {Path(path).name}：{exc}") from None

    def frame(rows: list[list[object]] | None, headers: tuple[str, ...]) -> pd.DataFrame:
        rows = rows or []
        at = next((i for i, r in enumerate(rows[:10]) if {headers[0], headers[-1]} <= set(r)), None)
        if at is None:
            return pd.DataFrame(columns=list(headers))
        names = [str(h).strip() for h in rows[at]]
        body = [r for r in rows[at + 1 :] if any(v not in ("", None) for v in r)]
        out = pd.DataFrame(body, columns=names)
        return out.loc[:, [c for c in names if c]]

    projects = frame(sheets.get("汇总"), PROJECT_HEADERS)
    if len(projects):
        firsts = projects.iloc[:, : min(5, projects.shape[1])].astype(str)
        totals = firsts.apply(lambda col: col.str.strip().isin(["合计", "总计"])).any(axis=1)
        projects = projects.loc[~totals].reset_index(drop=True)
    return projects, frame(sheets.get("问题清单"), PROBLEM_HEADERS)


def summary_body(projects: pd.DataFrame | None, problems: pd.DataFrame | None) -> str:
    """The Chinese mail body: counts, grades, files with errors, the worst problems."""
    import pandas as pd

    def numbers(df: pd.DataFrame, col: str) -> pd.Series:
        if col not in df:
            return pd.Series(0.0, index=df.index)
        return pd.to_numeric(df[col], errors="coerce").fillna(0)

    projects = projects if projects is not None else pd.DataFrame(columns=list(PROJECT_HEADERS))
    lines = ["您好：", "", "附件为项目支出绩效自评汇总表，请查收。主要情况如下：", ""]
    lines.append(f"一、共汇总项目 {len(projects)} 个。")
    if len(projects):
        grades = projects.get("自评等级", pd.Series(dtype=str)).astype(str).str.strip()
        counts = grades.value_counts()
        shown = list(GRADES) + [g for g in counts.index if g not in GRADES and g not in ("", "nan")]
        lines.append(
            "    复核等级：" + "，".join(f"{g} {int(counts.get(g, 0))} 个" for g in shown) + "。"
        )
        scores = pd.to_numeric(projects.get("复核总分", pd.Series(dtype=float)), errors="coerce")
        scores = scores.dropna()
        if len(scores):
            lines.append(f"    复核总分平均 {scores.mean():.2f} 分，最低 {scores.min():.2f} 分。")

    error_files: set[str] = set()
    if "源文件" in projects:
        error_files |= set(projects.loc[numbers(projects, "错误数") > 0, "源文件"].astype(str))
    errors = pd.DataFrame(columns=list(PROBLEM_HEADERS))
    if problems is not None and len(problems):
        level = problems.get("级别", pd.Series("", index=problems.index)).astype(str).str.strip()
        errors = problems.loc[level == "错误"]
        warnings = int((level == "警告").sum())
        error_files |= set(errors.get("源文件", pd.Series(dtype=str)).astype(str))
        lines.append(
            f"二、问题清单共 {len(problems)} 条，其中错误 {len(errors)} 条、警告 {warnings} 条。"
        )
    else:  # no problem list: fall back on the per-project counts
        n_errors, n_warnings = (int(numbers(projects, c).sum()) for c in ("错误数", "警告数"))
        if n_errors or n_warnings:
            lines.append(f"二、各项目共有错误 {n_errors} 条、警告 {n_warnings} 条。")
        else:
            lines.append("二、未发现错误和警告。")
    error_files.discard("")
    if error_files:
        lines.append(f"    存在错误的文件 {len(error_files)} 个，这些项目的复核得分仅供参考。")
    else:
        lines.append("    没有存在错误的文件。")

    if len(errors):
        lines += ["", f"三、主要问题（错误，列出前 {min(len(errors), MAX_LISTED_PROBLEMS)} 条）："]
        for i, (_, p) in enumerate(errors.head(MAX_LISTED_PROBLEMS).iterrows(), 1):
            where = " ".join(str(p.get(c, "") or "").strip() for c in ("源文件", "单元格")).strip()
            lines.append(f"    {i}. {where}：{_clean(p.get('说明', ''))}")
        if len(errors) > MAX_LISTED_PROBLEMS:
            lines.append(
                f"    另有 {len(errors) - MAX_LISTED_PROBLEMS} 条错误，详见附件“问题清单”工作表。"
            )
    lines += ["", "本邮件由 perfxl 自动生成。"]
    return "\n".join(lines) + "\n"


def _clean(value: object) -> str:
    """One line of problem text (cells can hold line breaks)."""
    return re.sub(r"\s+", " ", "" if value is None else str(value)).strip()

"""Emails that follow a write. A service sends them once its transaction is over, so a failing mail
server can neither undo the write nor turn it into an error page: the failure is logged and the
message tried once more. Subjects are made one line whatever names went into them."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.mail.message import EmailMessage

logger = logging.getLogger("accord.mail")
ATTEMPTS = 2


@dataclass(frozen=True)
class Mail:
    subject: str
    body: str
    to: list[str]


def one_line(text: str) -> str:
    """Any run of white space (line breaks included) as one space: safe in a header."""
    return " ".join(text.split())


def send_quietly(mails: list[Mail]) -> int:
    """Send `mails`; returns how many went out. Never raises: a write has already happened."""
    sent = 0
    for mail in mails:
        message = EmailMessage(one_line(mail.subject), mail.body, None, mail.to)
        for attempt in range(1, ATTEMPTS + 1):
            try:
                sent += message.send() or 0
                break
            except Exception:
                logger.exception(
                    "Email %r to %s failed (attempt %d of %d)", message.subject, mail.to, attempt, ATTEMPTS
                )
    return sent

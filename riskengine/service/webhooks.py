"""Alert delivery to webhooks: signed, retried with bounded exponential backoff, at most once.

At most once per alert id and webhook: the delivery is claimed in the store (a row written in its
own transaction) before the first attempt, and a claimed alert is never sent again, by this
process or another one on the same store, even if the process dies between claim and answer.
An alert can thus be lost to a crash mid-delivery, never sent twice; the row then stays
``sending`` and is visible in ``riskengine history --deliveries``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from riskengine.scoring.alerts import Alert
from riskengine.store.db import Store, utc_now

SIGNATURE_HEADER = "X-Riskengine-Signature"
ALERT_ID_HEADER = "X-Riskengine-Alert-Id"


def signature(secret: bytes, body: bytes) -> str:
    """``sha256=<hex>`` of HMAC-SHA256 over the exact request body, as GitHub's webhooks do."""
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    first_delay: float = 0.5
    max_delay: float = 8.0
    timeout: float = 5.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        return float(min(self.max_delay, self.first_delay * 2 ** (attempt - 1)))


Post = Callable[[str, bytes, dict[str, str], float], int]  # url, body, headers, timeout -> status


def _httpx_post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
    import httpx

    return httpx.post(url, content=body, headers=headers, timeout=timeout).status_code


class Deliverer:
    def __init__(
        self,
        store: Store,
        webhooks: Sequence[str],
        secret: bytes,
        *,
        policy: RetryPolicy | None = None,
        post: Post | None = None,
        sleep: Callable[[float], None] = time.sleep,
        log: Callable[[dict[str, object]], None] | None = None,
    ) -> None:
        self.store = store
        self.webhooks = list(webhooks)
        self.secret = secret
        self.policy = policy or RetryPolicy()
        self.post = post or _httpx_post
        self.sleep = sleep
        self.log = log or (lambda _entry: None)

    def deliver(self, alerts: Sequence[Alert]) -> dict[str, int]:
        """Send every alert not yet claimed to every webhook; returns counts by outcome."""
        outcome = {"delivered": 0, "failed": 0, "skipped": 0}
        for alert in alerts:
            body = json.dumps({"alert": alert.as_dict()}, sort_keys=True).encode("utf-8")
            for url in self.webhooks:
                if not self.store.claim_delivery(alert.id, url, body.decode("utf-8"), utc_now()):
                    outcome["skipped"] += 1
                    continue
                state, attempts, error = self._send(url, alert.id, body)
                self.store.finish_delivery(alert.id, url, state=state, attempts=attempts, error=error, now=utc_now())
                outcome[state] += 1
                self.log({"event": "alert_delivery", "alert_id": alert.id, "webhook": url, "state": state, "attempts": attempts, "error": error})
        return outcome

    def _send(self, url: str, alert_id: str, body: bytes) -> tuple[str, int, str | None]:
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: signature(self.secret, body), ALERT_ID_HEADER: alert_id}
        error: str | None = None
        for attempt in range(1, self.policy.attempts + 1):
            try:
                status = self.post(url, body, headers, self.policy.timeout)
            except Exception as exc:  # noqa: BLE001 - any transport failure is one failed attempt
                error = f"{type(exc).__name__}: {exc}"
            else:
                if 200 <= status < 300:
                    return "delivered", attempt, None
                error = f"HTTP {status}"
                if 400 <= status < 500 and status not in (408, 429):
                    return "failed", attempt, error  # the receiver refuses it: retrying will not help
            if attempt < self.policy.attempts:
                self.sleep(self.policy.delay(attempt))
        return "failed", self.policy.attempts, error


__all__ = ["ALERT_ID_HEADER", "SIGNATURE_HEADER", "Deliverer", "RetryPolicy", "signature"]

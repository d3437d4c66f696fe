"""The device token lives in the OS keyring and nowhere else.

Not in the database, the settings, the logs or a command line. Where the system
has no keyring backend, the token is kept in this process's memory for the
session only, and the caller gets a message saying so.
"""

from __future__ import annotations

from lawsup_desktop.domain.errors import Text

SERVICE = "lawsup-sync"

NO_KEYRING = Text(
    "本机没有可用的系统密钥环，同步令牌只在本次运行期间保存在内存中；"
    "下次启动需要重新注册本机（或设置环境变量 LAWSUP_SYNC_TOKEN）。",
    "This computer has no system keyring: the sync token is kept in memory for this "
    "session only; enrol again after a restart (or set LAWSUP_SYNC_TOKEN).",
)

# Fallback for the session only (never written anywhere).
_session_tokens: dict[str, str] = {}


def _keyring_usable() -> bool:
    import keyring

    from lawsup_desktop.services.encryption import backend_usable

    return backend_usable(keyring.get_keyring())


class TokenStore:
    """Device tokens by account (the device id). ``warning`` is set when the keyring is
    missing and tokens live in memory only."""

    def __init__(self) -> None:
        self.warning: Text | None = None

    def save(self, account: str, token: str) -> Text | None:
        import keyring
        from keyring.errors import KeyringError

        stored = False
        if _keyring_usable():
            try:
                keyring.set_password(SERVICE, account, token)
                stored = True
            except KeyringError:
                stored = False  # a locked or broken keyring: memory below, and say so
        if stored:
            _session_tokens.pop(account, None)
            self.warning = None
            return None
        _session_tokens[account] = token
        self.warning = NO_KEYRING
        return NO_KEYRING

    def load(self, account: str) -> str | None:
        import keyring
        from keyring.errors import KeyringError

        if account in _session_tokens:
            return _session_tokens[account]
        if not _keyring_usable():
            self.warning = NO_KEYRING
            return None
        try:
            return keyring.get_password(SERVICE, account)
        except KeyringError:
            self.warning = NO_KEYRING
            return None

    def forget(self, account: str) -> None:
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError

        _session_tokens.pop(account, None)
        if _keyring_usable():
            try:
                keyring.delete_password(SERVICE, account)
            except (PasswordDeleteError, KeyringError):
                return  # nothing stored: nothing to forget

"""The recovery app's link setting: read from the environment and checked."""

from __future__ import annotations

import pytest

from consult_aid.services.document_names import RECOVERY_APP_URL_ENV, recovery_app_url


def test_no_setting_prints_no_link() -> None:
    assert recovery_app_url({}) == ""
    assert recovery_app_url({RECOVERY_APP_URL_ENV: "   "}) == ""


def test_the_environment_wins_over_the_default() -> None:
    env = {RECOVERY_APP_URL_ENV: " https://recovery.example.org/app "}
    assert recovery_app_url(env, "https://other.example.org") == "https://recovery.example.org/app"
    assert recovery_app_url({}, "https://other.example.org") == "https://other.example.org"


@pytest.mark.parametrize(
    "bad",
    ["recovery.example.org", "ftp://example.org/app", "https://", "javascript:alert(1)",
     "https://example.org/my app"],
)  # fmt: skip
def test_a_value_that_is_not_a_web_link_is_refused_by_name(bad: str) -> None:
    with pytest.raises(ValueError, match=RECOVERY_APP_URL_ENV) as raised:
        recovery_app_url({RECOVERY_APP_URL_ENV: bad})
    assert repr(bad) in str(raised.value)

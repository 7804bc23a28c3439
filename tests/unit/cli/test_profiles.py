"""Profiles ``raikoo login`` saves: owner-only, any text round-trips, others kept."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from raikoo.profiles import Profile, ProfilesUnreadable, load_profiles, remove_profile, save_profile


def test_profiles_round_trip_owner_only_and_keep_each_other(tmp_path: Path) -> None:
    path = tmp_path / "raikoo" / "config.toml"
    odd = Profile('we "quote" \\ and ünï 😀', "https://raikoo.example/api", "rk_a\x7fb\nc")
    save_profile(path, Profile("default", "http://127.0.0.1:8000", "rk_one"))
    save_profile(path, odd)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert load_profiles(path) == {
        "default": Profile("default", "http://127.0.0.1:8000", "rk_one"),
        odd.name: odd,
    }
    save_profile(path, Profile("default", "http://other", "rk_two"))
    assert load_profiles(path)["default"].api_key == "rk_two"
    assert remove_profile(path, odd.name)
    assert not remove_profile(path, odd.name)
    assert list(load_profiles(path)) == ["default"]


def test_a_loose_file_becomes_owner_only_and_garbage_is_named(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("")
    path.chmod(0o644)
    save_profile(path, Profile("p", "http://x", "rk"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_profiles(tmp_path / "absent.toml") == {}
    path.write_text("profiles = [")
    with pytest.raises(ProfilesUnreadable, match=str(path)):
        load_profiles(path)

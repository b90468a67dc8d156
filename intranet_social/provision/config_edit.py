"""Changing a few keys of an existing configuration file and keeping everything else.

An admin's comments, order and other settings survive: only the lines of the keys being set
are replaced (a key that is missing is added at the end of its section).
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping

from intranet_social.config import ConfigError

Value = str | int | list[str]
_SECTION_RE = re.compile(r"^\s*\[\s*([A-Za-z0-9_-]+)\s*\]\s*(?:#.*)?$")
_KEY_RE = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=\s*(.*)$", re.DOTALL)


def toml_value(value: Value) -> str:
    # JSON strings, numbers and arrays of strings are valid TOML as they are.
    return json.dumps(value)


def _complete(value_text: str) -> bool:
    try:
        tomllib.loads(f"v = {value_text}")
    except tomllib.TOMLDecodeError:
        return False
    return True


def _value_lines(lines: list[str], start: int) -> int:
    """How many lines the value of the key on ``lines[start]`` spans (arrays may span several)."""
    match = _KEY_RE.match(lines[start])
    assert match
    text = match.group(2)
    end = start + 1
    while not _complete(text) and end < len(lines):
        text += lines[end]
        end += 1
    return end - start


def _insert_at(lines: list[str], section_start: int) -> int:
    """Where a new key of the section beginning at ``section_start`` goes: after its last key."""
    position = section_start + 1
    index = section_start + 1
    while index < len(lines) and not _SECTION_RE.match(lines[index]):
        if lines[index].strip() and not lines[index].lstrip().startswith("#"):
            position = index + 1
        index += 1
    return position


def set_config_values(text: str, values: Mapping[str, Mapping[str, Value]]) -> str:
    """``text`` with each ``values[section][key]`` set; raises ConfigError when that fails."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    for section, keys in values.items():
        for key, value in keys.items():
            _set_one(lines, section, key, value)
    result = "".join(lines)
    try:
        parsed = tomllib.loads(result)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"the configuration could not be updated: {exc}") from None
    for section, keys in values.items():
        for key, value in keys.items():
            if parsed.get(section, {}).get(key) != value:
                raise ConfigError(
                    f"the configuration could not be updated automatically; "
                    f"set {key} = {toml_value(value)} in its [{section}] section by hand"
                )
    return result


def _set_one(lines: list[str], section: str, key: str, value: Value) -> None:
    line = f"{key} = {toml_value(value)}\n"
    current = ""
    section_start: int | None = None
    for index, text in enumerate(lines):
        header = _SECTION_RE.match(text)
        if header:
            current = header.group(1)
            if current == section:
                section_start = index
            continue
        match = _KEY_RE.match(text)
        if current == section and match and match.group(1) == key:
            lines[index : index + _value_lines(lines, index)] = [line]
            return
    if section_start is None:
        if lines and lines[-1].strip():
            lines.append("\n")
        lines.extend([f"[{section}]\n", line])
        return
    lines.insert(_insert_at(lines, section_start), line)

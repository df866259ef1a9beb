"""Every addon ships a Romanian translation of every term of its template."""

import re

import polib
import pytest
from conftest import ROOT

POT_FILES = sorted(ROOT.glob("*/i18n/*.pot"))
PLACEHOLDER = re.compile(r"%\(\w+\)s|%s|%d|\{\w*\}")


@pytest.mark.parametrize("pot_path", POT_FILES, ids=lambda p: p.parent.parent.name)
def test_romanian_is_complete(pot_path):
    po = polib.pofile(str(pot_path.parent / "ro.po"))
    translated = {entry.msgid: entry.msgstr for entry in po if entry.msgstr}
    template = [entry.msgid for entry in polib.pofile(str(pot_path)) if entry.msgid]
    missing = [msgid for msgid in template if msgid not in translated]
    assert not missing, missing


@pytest.mark.parametrize("pot_path", POT_FILES, ids=lambda p: p.parent.parent.name)
def test_romanian_keeps_placeholders(pot_path):
    for entry in polib.pofile(str(pot_path.parent / "ro.po")):
        assert sorted(PLACEHOLDER.findall(entry.msgid)) == sorted(
            PLACEHOLDER.findall(entry.msgstr)
        ), entry.msgid


def test_every_addon_has_a_template():
    addons = {p.parent.name for p in ROOT.glob("*/__manifest__.py")}
    assert addons == {p.parent.parent.name for p in POT_FILES}

"""The Chinese catalogue is complete, and the compiled .mo that ships matches the .po."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES"


@pytest.mark.parametrize("domain", ["django"])
def test_the_chinese_catalogue_has_no_untranslated_or_fuzzy_entries(domain):
    catalogue = polib.pofile(str(CATALOGUE / f"{domain}.po"))

    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries() if not entry.obsolete]

    assert untranslated == []
    assert fuzzy == []
    assert len(catalogue.translated_entries()) > 100


@pytest.mark.parametrize("domain", ["django"])
def test_the_compiled_catalogue_matches_its_source(domain):
    source = polib.pofile(str(CATALOGUE / f"{domain}.po"))
    compiled = polib.mofile(str(CATALOGUE / f"{domain}.mo"))

    def table(entries):
        return {
            (entry.msgctxt, entry.msgid): (entry.msgstr, tuple(sorted(entry.msgstr_plural.items())))
            for entry in entries
            if entry.msgid
        }

    assert table(compiled) == table(source.translated_entries())


def test_the_admin_and_models_speak_chinese_by_default():
    from communities.places.models import Community

    with translation.override("zh-hans"):
        assert str(Community._meta.verbose_name) == "小区"
    with translation.override("en"):
        assert str(Community._meta.verbose_name) == "community"

import pytest
from transfo_agenda.settings import AgendaSettingsError, read_settings

BASE = {"PUBLIC_URL": "https://www.economiesociale.be/transfo", "TIMEZONE": "Europe/Brussels"}


def test_defaults_and_domain():
    cfg = read_settings(BASE)
    assert cfg.paths == ("agenda",) and cfg.url == "agenda/" and cfg.home_count == 3
    assert cfg.domain == "www.economiesociale.be"
    assert cfg.event_url("x") == "agenda/x/" and cfg.event_ics_path("x") == "agenda/x/x.ics"
    assert cfg.calendar_path == "agenda/transfo-agenda.ics"
    assert cfg.archive_url(2019) == "agenda/archives/2019/"


@pytest.mark.parametrize(("key", "value"), [
    ("TRANSFO_AGENDA_PATHS", "agenda"),
    ("TRANSFO_AGENDA_URL", "/agenda"),
    ("TRANSFO_AGENDA_HOME_COUNT", -1),
    ("TRANSFO_AGENDA_CALENDAR_FILE", "agenda.ical"),
])
def test_bad_values_name_their_key(key, value):
    with pytest.raises(AgendaSettingsError, match=f"^Réglage {key} : trouvé .* ; attendu : "):
        read_settings({**BASE, key: value})

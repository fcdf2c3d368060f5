"""One instant in many zones: what `som convert` shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from agenda.model.meeting import Member
from agenda.model.timeplan import When


@dataclass(frozen=True)
class Conversion:
    text: str
    when: When
    from_zone: ZoneInfo | None
    targets: tuple[tuple[ZoneInfo, tuple[Member, ...]], ...]  # each zone with the members in it

    @property
    def source_local(self) -> datetime:
        if self.from_zone is None:  # read as a fixed offset: show it at that offset
            label = self.when.label
            # parse_when reads an instant in no zone only when it is written with a fixed offset
            assert label is not None and label.offset is not None
            return self.when.instant.astimezone(timezone(label.offset))
        return self.when.instant.astimezone(self.from_zone)


def targets_for(zones: tuple[ZoneInfo, ...], members: tuple[Member, ...]) -> tuple:
    """Zones asked for by name, then each members' zone once with the members in it."""
    out: dict[str, tuple[ZoneInfo, list[Member]]] = {z.key: (z, []) for z in zones}
    for m in members:
        out.setdefault(m.zone.key, (m.zone, []))[1].append(m)
    return tuple((z, tuple(ms)) for z, ms in out.values())



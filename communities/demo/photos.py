"""Before-and-after photos in the demo: drawn, not photographed.

For the communities the 2023 report names (all completed), two finished items each (ten pairs
in all) get a "before" photo (taken the day work began) and an "after" photo (the day it
ended): a block of flats under a sky, grey and stained with rusty pipes before, painted with
new downpipes, railings and greenery after. Three completion inspections (of the named
communities where they have one) get a photo taken at the visit. Dates come from the records
(an item's ``actual_start``/``actual_end``, an inspection's ``visited_on``), so they move with
them and never pass ``city.today``.

Generating the city draws nothing: each photo's file is a ``LazyDrawing`` that renders its
picture (from its own seed, so the same every run) only when the row is saved, when the
photo field turns it into its web sizes like any upload. Drawing and sizing all 23 took
1.7 s on a heavily loaded two-core machine.
"""

from __future__ import annotations

import random
from io import BytesIO

from django.core.files.base import File
from django.db import transaction

from communities.construction.choices import InspectionKind, PhotoPhase
from communities.construction.models import Inspection
from communities.construction.photo_models import Photo
from communities.demo.city import DemoCity
from communities.works.choices import ItemStatus

WIDTH, HEIGHT = 720, 480
ITEMS_PER_COMMUNITY = 2
PAIRS = 10  # in all, the first named communities' first
INSPECTION_PHOTOS = 3


class LazyDrawing(File):
    """A JPEG drawn when first read. ``File`` reads through ``self.file``: it is made here on
    first use, so a city generated but not saved (a second ``load_demo_data``) draws nothing."""

    def __init__(self, name: str, *, seed: int, after: bool):
        self._seed, self._after, self._content = seed, after, None
        super().__init__(None, name)

    @property
    def file(self):
        if self._content is None:
            self._content = BytesIO(draw(self._seed, after=self._after))
        return self._content

    @file.setter
    def file(self, value):
        if value is not None:
            self._content = value


def draw(seed: int, *, after: bool, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """A block of flats: stained, with rusty pipes and bare ground (before); painted, with new
    downpipes, balcony railings, shrubs and a tree (after). The same seed draws the same block,
    so a pair shows one building."""
    from PIL import Image, ImageDraw, ImageOps

    rng = random.Random(seed)
    sky_top = (96, 150, 214) if after else (150, 165, 180)
    # A one-pixel column coloured, then stretched sideways: the sky costs nothing.
    column = Image.linear_gradient("L").resize((1, height))
    sky = ImageOps.colorize(column, sky_top, (228, 236, 244))
    image = sky.convert("RGB").resize((width, height), Image.Resampling.NEAREST)
    pen = ImageDraw.Draw(image)
    ground = int(height * 0.82)
    pen.rectangle((0, ground, width, height), fill=(118, 128, 104) if after else (128, 118, 100))

    floors, columns = rng.randint(5, 7), rng.randint(6, 9)
    left, right = int(width * rng.uniform(0.08, 0.16)), int(width * rng.uniform(0.84, 0.92))
    top = ground - floors * int(height * 0.1)
    wall = rng.choice([(236, 214, 178), (232, 200, 170), (220, 226, 232)])
    pipes = rng.randint(2, 3)
    # What only one of the two photos shows draws from its own generator: the block itself
    # (drawn above from ``rng``) stays the same in both.
    wear = random.Random(seed + 1)
    pen.rectangle((left, top, right, ground), fill=wall if after else (150, 148, 142))
    pen.rectangle(
        (left - 8, top - 10, right + 8, top), fill=(150, 70, 60) if after else (90, 88, 86)
    )

    storey = (ground - top) / floors
    bay = (right - left) / columns
    for floor in range(floors):
        y = top + floor * storey
        for column in range(columns):
            x = left + column * bay
            window = (x + bay * 0.22, y + storey * 0.25, x + bay * 0.78, y + storey * 0.72)
            pen.rectangle(window, fill=(70, 110, 150) if after else (60, 66, 72))
            if after:
                pen.rectangle(window, outline=(255, 255, 255), width=3)
                pen.line(
                    (window[0] - 4, window[3] + 2, window[2] + 4, window[3] + 2),
                    fill=(60, 60, 64),
                    width=3,
                )
            elif wear.random() < 0.6:
                # Stains running down from the sill.
                streak = x + bay * wear.uniform(0.3, 0.7)
                pen.line(
                    (streak, window[3], streak, window[3] + storey * wear.uniform(0.2, 0.5)),
                    fill=(112, 106, 98),
                    width=wear.randint(3, 7),
                )
    for pipe in range(pipes):
        x = left + bay * (1 + pipe * (columns - 2) / 2)
        colour = (150, 156, 164) if after else (128, 82, 52)
        pen.rectangle((x - 4, top, x + 4, ground), fill=colour)
        if not after:
            for _ in range(3):
                y = wear.uniform(top, ground)
                pen.ellipse((x - 10, y - 6, x + 10, y + 6), fill=(100, 62, 40))
    if after:
        # Shrubs along the wall, a tree at the side, a railing in front.
        for x in range(left, right, 28):
            pen.ellipse((x, ground - 22, x + 34, ground + 8), fill=(58, 130, 66))
        trunk = right + (width - right) // 2
        pen.rectangle((trunk - 6, ground - 90, trunk + 6, ground), fill=(110, 80, 50))
        pen.ellipse((trunk - 45, ground - 170, trunk + 45, ground - 70), fill=(46, 120, 58))
        rail = ground + int((height - ground) * 0.55)
        pen.line((0, rail, width, rail), fill=(40, 44, 52), width=4)
        for x in range(0, width, 24):
            pen.line((x, rail, x, height), fill=(40, 44, 52), width=3)
    else:
        for _ in range(6):  # rubble and puddles
            x, y = wear.uniform(0, width), wear.uniform(ground + 10, height - 10)
            pen.ellipse((x - 30, y - 8, x + 30, y + 8), fill=(98, 96, 92))
    output = BytesIO()
    image.save(output, format="JPEG", quality=88)
    return output.getvalue()


def _photo(city, *, site, item, phase, taken_on, caption, seed, inspection=None) -> Photo:
    return city.add(
        Photo(
            community=site.community,
            item=item,
            inspection=inspection,
            phase=phase,
            taken_on=taken_on,
            caption=caption,
            image=LazyDrawing(f"demo-{phase}.jpg", seed=seed, after=phase != PhotoPhase.BEFORE),
        )
    )


def photos(city: DemoCity, rng: random.Random) -> None:
    """Before/after pairs for the named communities' finished items, and a photo at a few of
    their completion inspections."""
    named = [site for site in city.sites if site.named is not None]
    pairs = 0
    for site in named:
        finished = [
            item
            for item in site.items
            if item.status in ItemStatus.finished()
            and item.actual_start
            and item.actual_end
            and item.actual_start <= item.actual_end <= city.today
        ]
        count = min(ITEMS_PER_COMMUNITY, len(finished), PAIRS - pairs)
        for item in rng.sample(finished, count) if count > 0 else []:
            pairs += 1
            seed = rng.getrandbits(32)
            _photo(
                city,
                site=site,
                item=item,
                phase=PhotoPhase.BEFORE,
                taken_on=item.actual_start,
                caption=f"{site.community.name}{item.title}：改造前",
                seed=seed,
            )
            _photo(
                city,
                site=site,
                item=item,
                phase=PhotoPhase.AFTER,
                taken_on=item.actual_end,
                caption=f"{site.community.name}{item.title}：改造后",
                seed=seed,
            )
    # Completion inspections, the named communities' first (the construction step visits a
    # sample of completed communities, which may leave the named ones out).
    sites = {id(site.community): site for site in city.sites}
    visits = sorted(
        (
            inspection
            for inspection in city.rows.get(Inspection, [])
            if inspection.kind == InspectionKind.COMPLETION and inspection.visited_on <= city.today
        ),
        key=lambda inspection: sites[id(inspection.community)].named is None,
    )
    for inspection in visits[:INSPECTION_PHOTOS]:
        site = sites[id(inspection.community)]
        _photo(
            city,
            site=site,
            item=inspection.item,
            inspection=inspection,
            phase=PhotoPhase.AFTER,
            taken_on=inspection.visited_on,
            caption=f"{site.community.name}：竣工验收检查现场照片",
            seed=rng.getrandbits(32),
        )


def delete_demo_photo_files(communities) -> None:
    """Once the transaction deleting the demo communities commits, the files of their photos
    (the rows go with the communities; files on disk do not roll back, so nothing is removed
    before the deletion is sure)."""
    names = [
        name
        for pair in Photo.objects.filter(community__in=communities).values_list(
            "image", "thumbnail"
        )
        for name in pair
        if name
    ]
    storage = Photo._meta.get_field("image").storage

    def delete() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)

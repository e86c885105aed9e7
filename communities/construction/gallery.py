"""A community's photos as its public page shows them: before/after pairs, then the rest.

Pairing: within one item (or the community as a whole, for photos of no item), the n-th
"before" photo goes with the n-th "after" photo, both in the order they were taken. Photos
taken for an inspection are evidence of that visit, not a comparison: they are never paired.
What is left unpaired (a "before" without its "after", every "during" photo, inspection
photos) is shown as a grid of thumbnails.
"""

from dataclasses import dataclass, field

from communities.construction.choices import PhotoPhase
from communities.construction.photo_models import Photo
from communities.places.models import Community


@dataclass(frozen=True)
class Pair:
    before: Photo
    after: Photo

    @property
    def subject(self):
        """What both show: the item, or None for the community as a whole."""
        return self.before.item


@dataclass
class Gallery:
    pairs: list[Pair] = field(default_factory=list)
    others: list[Photo] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.pairs or self.others)

    def __len__(self) -> int:
        return 2 * len(self.pairs) + len(self.others)


def pair_photos(photos: list[Photo]) -> Gallery:
    """Pure: the photos (in the order taken) paired as the module says."""
    befores: dict[int | None, list[Photo]] = {}
    afters: dict[int | None, list[Photo]] = {}
    for photo in photos:
        if (
            photo.inspection_id is None
            and photo.acceptance_id is None
            and photo.phase == PhotoPhase.BEFORE
        ):
            befores.setdefault(photo.item_id, []).append(photo)
        elif (
            photo.inspection_id is None
            and photo.acceptance_id is None
            and photo.phase == PhotoPhase.AFTER
        ):
            afters.setdefault(photo.item_id, []).append(photo)
    paired: set[int] = set()
    gallery = Gallery()
    for subject, before_photos in befores.items():
        for before, after in zip(before_photos, afters.get(subject, []), strict=False):
            gallery.pairs.append(Pair(before=before, after=after))
            paired.update((id(before), id(after)))
    gallery.pairs.sort(key=lambda pair: (pair.after.taken_on, pair.after.pk or 0))
    gallery.others = [photo for photo in photos if id(photo) not in paired]
    return gallery


def community_gallery(community: Community) -> Gallery:
    """The community's public photos, paired. One query (photos with their items and
    inspections), however many photos there are."""
    photos = list(Photo.objects.public().filter(community=community).for_gallery())
    return pair_photos(photos)

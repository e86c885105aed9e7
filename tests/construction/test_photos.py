"""Community photos as stored: re-encoded web sizes, without EXIF or GPS, upright; the rules of
a photo's record; odd files refused with a message, never a 500."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from communities.construction.choices import PhotoPhase
from communities.construction.gallery import pair_photos
from communities.construction.photo_models import Photo
from communities.core import clock
from tests.support.acc import completed_item, record_acceptance
from tests.support.construction import make_inspection
from tests.support.factories import make_item
from tests.support.participation import make_finished_item
from tests.support.pho import image_bytes, make_photo, upload

pytestmark = pytest.mark.django_db


def opened(field_file) -> Image.Image:
    field_file.open("rb")
    try:
        return Image.open(BytesIO(field_file.read()))
    finally:
        field_file.close()


def test_it_stores_a_large_size_and_a_thumbnail_with_their_dimensions():
    photo = make_photo(image=upload(data=image_bytes(4000, 3000)))

    large, thumbnail = opened(photo.image), opened(photo.thumbnail)
    assert (large.format, large.size) == ("JPEG", (1600, 1200))
    assert (thumbnail.format, thumbnail.size) == ("JPEG", (400, 300))
    assert (photo.width, photo.height) == (1600, 1200)
    assert (photo.thumbnail_width, photo.thumbnail_height) == (400, 300)
    assert photo.image.name.startswith("community-photos/")
    assert photo.image.name.endswith(".jpg") and photo.thumbnail.name.endswith(".jpg")
    assert photo.image.name != photo.thumbnail.name


def test_a_small_photo_is_never_enlarged():
    photo = make_photo(image=upload(data=image_bytes(300, 200)))

    assert (photo.width, photo.height) == (300, 200)
    assert (photo.thumbnail_width, photo.thumbnail_height) == (300, 200)


def test_the_gps_position_and_every_exif_tag_are_gone():
    data = image_bytes(800, 600, gps=True)
    assert Image.open(BytesIO(data)).getexif().get_ifd(0x8825)  # the upload has GPS

    photo = make_photo(image=upload(data=data))

    for stored in (photo.image, photo.thumbnail):
        image = opened(stored)
        assert not image.getexif()
        assert "exif" not in image.info
        stored.open("rb")
        assert b"TestPhone" not in stored.read()
        stored.close()


def test_the_orientation_is_applied_to_the_pixels_before_exif_goes():
    # Orientation 6: the camera was turned; the stored photo stands upright (portrait).
    photo = make_photo(image=upload(data=image_bytes(400, 200, orientation=6)))

    image = opened(photo.image)
    assert image.size == (200, 400)
    assert not image.getexif().get(0x0112)
    # The coloured left half of the sensor is at the top once turned.
    top, bottom = image.getpixel((100, 20)), image.getpixel((100, 380))
    assert top[0] > 150 and top[1] < 100
    assert bottom == pytest.approx((255, 255, 255), abs=8)


def test_a_transparent_png_is_stored_as_a_jpeg_over_white():
    image = Image.new("RGBA", (100, 80), (0, 0, 0, 0))
    output = BytesIO()
    image.save(output, format="PNG")

    photo = make_photo(image=upload("plan.png", output.getvalue(), "image/png"))

    stored = opened(photo.image)
    assert stored.format == "JPEG"
    assert stored.getpixel((50, 40)) == pytest.approx((255, 255, 255), abs=4)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("empty.jpg", b""),
        ("notes.jpg", b"<html><script>alert(1)</script></html>"),
        ("truncated.jpg", image_bytes(400, 300)[:200]),
        ("IMG_0001.heic", image_bytes()),
        ("huge.png", None),
    ],
)
def test_an_odd_file_is_refused_with_a_message(name, data):
    if data is None:  # 20000 x 20000: 400 megapixels, refused before decoding
        image = Image.new("1", (20000, 20000))
        output = BytesIO()
        image.save(output, format="PNG")
        data = output.getvalue()
    item = make_finished_item()
    photo = Photo(
        community=item.community,
        item=item,
        phase=PhotoPhase.BEFORE,
        taken_on=clock.today(),
        image=upload(name, data),
    )

    with pytest.raises(ValidationError) as refused:
        photo.full_clean()

    assert "image" in refused.value.message_dict
    assert Photo.objects.count() == 0


def test_the_item_must_be_of_the_photos_community():
    item = make_finished_item()
    other = make_item()

    with pytest.raises(ValidationError) as refused:
        make_photo(community=other.community, item=item)

    assert list(refused.value.message_dict) == ["item"]


def test_an_inspection_photo_must_be_of_the_same_community_and_item():
    item = make_finished_item()
    elsewhere = make_inspection(item=make_item())
    other_item = make_inspection(item=make_item(community=item.community, title="另一项"))

    with pytest.raises(ValidationError) as refused:
        make_photo(item=item, inspection=elsewhere)
    assert list(refused.value.message_dict) == ["inspection"]
    with pytest.raises(ValidationError) as refused:
        make_photo(item=item, inspection=other_item)
    assert list(refused.value.message_dict) == ["inspection"]

    photo = make_photo(item=item, inspection=make_inspection(item=item))
    assert photo.inspection.community == photo.community


def test_a_photo_cannot_be_taken_tomorrow():
    with pytest.raises(ValidationError) as refused:
        make_photo(taken_on=clock.today() + timedelta(days=1))

    assert list(refused.value.message_dict) == ["taken_on"]


def test_it_keeps_history():
    photo = make_photo()
    photo.caption = "新的说明"
    photo.full_clean()
    photo.save()

    assert photo.history.count() == 2


def test_an_edit_of_the_caption_keeps_the_stored_files():
    photo = make_photo()
    names = (photo.image.name, photo.thumbnail.name)

    photo.caption = "外立面"
    photo.full_clean()
    photo.save()
    photo.refresh_from_db()

    assert (photo.image.name, photo.thumbnail.name) == names


def test_the_alt_text_is_the_caption_or_what_the_photo_shows(english):
    item = make_finished_item(title="外墙保温")
    assert make_photo(item=item, caption="北立面").alt == "北立面"
    assert make_photo(item=item, caption="", phase=PhotoPhase.AFTER).alt == "外墙保温, after"


def test_befores_pair_with_afters_of_the_same_subject_in_the_order_taken():
    item = make_finished_item()
    community = item.community
    day = clock.today() - timedelta(days=100)

    def photo(phase, days, **fields):
        return make_photo(
            community=community,
            item=fields.pop("item", item),
            phase=phase,
            taken_on=day + timedelta(days=days),
            **fields,
        )

    first_before, second_before = photo("before", 0), photo("before", 1)
    first_after = photo("after", 50)
    site_before, site_after = photo("before", 2, item=None), photo("after", 60, item=None)
    during = photo("during", 20)
    at_inspection = photo("after", 55, inspection=make_inspection(item=item))

    gallery = pair_photos(list(Photo.objects.filter(community=community).for_gallery()))

    assert [(p.before, p.after) for p in gallery.pairs] == [
        (first_before, first_after),
        (site_before, site_after),
    ]
    assert gallery.others == [second_before, during, at_inspection]


def test_an_acceptance_photo_is_of_its_item_one_record_at_most_and_never_paired():
    item = completed_item()
    acceptance = record_acceptance(item)
    elsewhere = record_acceptance()

    with pytest.raises(ValidationError) as refused:
        make_photo(item=item, acceptance=elsewhere)
    assert list(refused.value.message_dict) == ["acceptance"]
    with pytest.raises(ValidationError) as refused:
        make_photo(item=item, acceptance=acceptance, inspection=make_inspection(item=item))
    assert "acceptance" in refused.value.message_dict

    before = make_photo(item=item, phase="before", taken_on=acceptance.accepted_on)
    at_acceptance = make_photo(
        item=item, acceptance=acceptance, phase="after", taken_on=acceptance.accepted_on
    )
    gallery = pair_photos(list(Photo.objects.filter(community=item.community).for_gallery()))
    assert gallery.pairs == []
    assert gallery.others == [before, at_acceptance]

"""``{% construction_record community as record %}``: the public construction record of a
community (``construction.selectors.community_construction_record``), read by the community
page's include ``communities/construction/record.html`` (five queries)."""

from django import template

from communities.construction.selectors import community_construction_record

register = template.Library()


@register.simple_tag
def construction_record(community) -> dict:
    return community_construction_record(community.pk)

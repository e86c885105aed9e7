"""The public side of following: Atom feeds, the subscribe form, and the signed links' pages.

No page here needs an account. The subscribe form posts without a CSRF token on purpose: it is
embedded in the community and district pages, which are cached for everybody and so carry no
token; posting it only queues a confirmation mail to the address given, which a throttle per
client address (``follow_subscribe``) and a honeypot field keep from being abused. The
unsubscribe link takes a POST without a token too (RFC 8058 one-click from mail clients): the
signed link is the proof.
"""

from django import forms
from django.contrib.syndication.views import Feed
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from communities.core import bounds
from communities.core.client_ip import client_ip
from communities.core.clock import local_midnight
from communities.core.throttles import retry_after, too_many_requests
from communities.following import services, tasks
from communities.following.news import News, news_for
from communities.places.models import Community, District

# --- Feeds -------------------------------------------------------------------------------------


class _NewsFeed(Feed):
    feed_type = Atom1Feed
    author_name = gettext_lazy("Old community renovation: public information")

    def title(self, target) -> str:
        return _("News of %s") % target.name

    def subtitle(self, target) -> str:
        return (
            _(
                "Works begun and finished, progress, design plans and elevators in public notice, "
                "acceptances and repairs done in %s."
            )
            % target.name
        )

    def link(self, target) -> str:
        return target.get_absolute_url()

    def items(self, target) -> list[News]:
        return target.news

    def item_title(self, item: News) -> str:
        return item.title

    def item_description(self, item: News) -> str:
        return item.summary

    def item_link(self, item: News) -> str:
        return item.link

    def item_guid(self, item: News) -> str:
        return f"tag:renovation,{item.on.year}:{item.key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: News):
        return local_midnight(item.on)

    def item_updateddate(self, item: News):
        return item.recorded

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # <updated> of the feed: its newest entry's, or the start of today when it has none.
        if not obj.news:
            feed.feed["updateddate"] = local_midnight(timezone.localdate())
        return feed


class CommunityFeed(_NewsFeed):
    def get_object(self, request, pk: str):
        number = bounds.parse_id(pk)
        if number is None:
            raise Http404
        community = get_object_or_404(Community.objects.select_related("district"), pk=number)
        community.news = news_for(community=community)
        return community


class DistrictFeed(_NewsFeed):
    def get_object(self, request, code: str):
        if not bounds.is_path_text(code):
            raise Http404
        district = get_object_or_404(District, code=code)
        district.news = news_for(district=district)
        return district


# --- Subscribing -------------------------------------------------------------------------------


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Your email address"), max_length=254)
    # The honeypot: hidden from people, filled in by bots.
    website = forms.CharField(required=False, label=gettext_lazy("Leave this empty"))

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


def _target(kind: str, key: str):
    if kind == "community":
        number = bounds.parse_id(key)
        if number is None:
            raise Http404
        return get_object_or_404(Community.objects.select_related("district"), pk=number)
    if not bounds.is_path_text(key):
        raise Http404
    return get_object_or_404(District, code=key)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request, kind: str, key: str):
    """GET: the form alone; POST: ask to follow, and say to look for the confirmation mail."""
    target = _target(kind, key)
    if request.method == "GET":
        form = SubscribeForm()
        return render(
            request, "communities/following/subscribe.html", {"target": target, "form": form}
        )
    seconds = retry_after(request, "follow_subscribe", client_ip(request) or "")
    if seconds is not None:
        return too_many_requests(request, seconds)
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "communities/following/subscribe.html",
            {"target": target, "form": form},
            status=400,
        )
    if not form.cleaned_data["website"]:
        subscription = services.subscription_request(
            email=form.cleaned_data["email"],
            community=target if kind == "community" else None,
            district=target if kind == "district" else None,
            language=get_language() or "zh-hans",
        )
        if subscription is not None:
            transaction.on_commit(lambda: tasks.send_confirmation.delay(subscription.pk))
    # The same answer whether the address was new, already following, or a bot's: the page
    # must not tell anyone who follows what.
    return render(request, "communities/following/subscribe_sent.html", {"target": target})


def _link_problem(request, reason: str):
    return render(
        request,
        "communities/following/link_problem.html",
        {"expired": reason == "expired"},
        status=400,
    )


@never_cache
@require_http_methods(["GET", "HEAD"])
def confirm(request, token: str):
    """The double-opt-in link: confirms, and says so (a second visit changes nothing)."""
    try:
        subscription = services.subscription_from_token(token, purpose="confirm")
    except services.LinkError as error:
        return _link_problem(request, error.reason)
    subscription = services.subscription_confirm(subscription=subscription)
    return render(
        request,
        "communities/following/confirmed.html",
        {
            "subscription": subscription,
            "target": subscription.target,
            "unsubscribed": subscription.unsubscribed_at is not None,
            "unsubscribe_token": services.unsubscribe_token(subscription),
        },
    )


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    """GET: a button (link checkers and mail scanners follow links; they must not unsubscribe
    anyone); POST, from the button or a mail client's one-click (RFC 8058): unsubscribe."""
    try:
        subscription = services.subscription_from_token(token, purpose="unsubscribe")
    except services.LinkError as error:
        return _link_problem(request, error.reason)
    done = False
    if request.method == "POST":
        subscription = services.subscription_unsubscribe(subscription=subscription)
        done = True
    return render(
        request,
        "communities/following/unsubscribe.html",
        {
            "target": subscription.target,
            "done": done or subscription.unsubscribed_at is not None,
        },
    )

/* The report form (/report/, /communities/<id>/report/): tap the map to mark the spot, which
 * fills the latitude and longitude fields; once a category and a spot are known, fetch the
 * "is it one of these?" list of open requests nearby and show it above the photos.
 * Once the list was fetched the form gets data-nearby="shown".
 * Without JavaScript the fields are typed and the server shows the same list on submit.
 * Leaflet comes from /static/vendor/ (never a CDN); without tiles the map is a plain area.
 */
(function () {
  "use strict";

  var form = document.getElementById("report-form");
  if (!form) {
    return;
  }
  var lat = form.querySelector("[name=latitude]");
  var lng = form.querySelector("[name=longitude]");
  var category = form.querySelector("[name=category]");
  var seen = form.querySelector("[name=nearby_seen]");
  var slot = document.getElementById("nearby-slot");
  var lastQuery = "";

  function showNearby() {
    if (!category.value || !lat.value || !lng.value) {
      return;
    }
    var query =
      "?category=" + encodeURIComponent(category.value) +
      "&lat=" + encodeURIComponent(lat.value) +
      "&lng=" + encodeURIComponent(lng.value);
    if (query === lastQuery) {
      return;
    }
    lastQuery = query;
    fetch(form.dataset.nearbyUrl + query, { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.text() : "";
      })
      .then(function (html) {
        slot.innerHTML = html;
        // The list was shown (or there was none): submitting now files a new request.
        seen.value = "True";
        form.dataset.nearby = "shown";
      })
      .catch(function () {
        slot.innerHTML = "";
      });
  }

  category.addEventListener("change", showNearby);
  lat.addEventListener("change", showNearby);
  lng.addEventListener("change", showNearby);

  var element = document.querySelector("[data-report-map]");
  if (!element || typeof L === "undefined") {
    return;
  }
  var center = (element.dataset.center || "").split(",").map(parseFloat);
  if (center.length !== 2 || !center.every(isFinite)) {
    center = [36.19, 117.12]; // Tai'an
  }
  element.innerHTML = "";
  var map = L.map(element, { scrollWheelZoom: false }).setView(center, 17);
  if (element.dataset.tileUrl) {
    L.tileLayer(element.dataset.tileUrl, {
      maxZoom: 19,
      attribution: element.dataset.tileAttribution,
    }).addTo(map);
  }
  var marker = null;

  function place(latlng) {
    if (marker) {
      marker.setLatLng(latlng);
    } else {
      marker = L.circleMarker(latlng, { radius: 9, color: "#c8102e", weight: 3 }).addTo(map);
    }
  }

  if (lat.value && lng.value) {
    place([parseFloat(lat.value), parseFloat(lng.value)]);
  }
  map.on("click", function (event) {
    place(event.latlng);
    lat.value = event.latlng.lat.toFixed(6);
    lng.value = event.latlng.lng.toFixed(6);
    showNearby();
  });
  element.dataset.state = "ready";
})();
